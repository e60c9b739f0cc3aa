using System.Runtime.InteropServices;

namespace Meterai.Server.Files;

/// <summary>The few libc calls the file store needs and .NET has no API for (Unix only).</summary>
internal static partial class Libc
{
    private const int EEXIST = 17; // the same on Linux, macOS and the BSDs
    private const int AtCurrentDirectory = -100; // AT_FDCWD (Linux)
    private const uint RenameNoReplace = 1; // RENAME_NOREPLACE (Linux)

    /// <summary>
    /// Gives the file at <paramref name="temp"/> the name <paramref name="final"/> unless that name exists, atomically
    /// (two callers racing for one name: exactly one wins), and removes the name <paramref name="temp"/> either way.
    /// False when the name was taken. .NET's <c>File.Move(overwrite: false)</c> is not this on Unix: it checks that the
    /// name is free, then renames, and a second mover between the two replaces the first one's file.
    /// </summary>
    public static bool LinkNoReplace(string temp, string final)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING is atomic and refuses an existing name.
            try
            {
                File.Move(temp, final, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(final))
            {
                File.Delete(temp);
                return false;
            }
        }

        var failed = Link(temp, final) == 0 ? 0 : Marshal.GetLastPInvokeError();
        if (failed != 0 && failed != EEXIST && OperatingSystem.IsLinux())
        {
            // A file system without hard links (FAT, some network and FUSE mounts): the kernel's no-replace rename.
            failed = RenameAt2(AtCurrentDirectory, temp, AtCurrentDirectory, final, RenameNoReplace) == 0 ? 0 : Marshal.GetLastPInvokeError();
            if (failed == 0) return true;
        }

        if (failed != 0 && failed != EEXIST) throw new IOException($"cannot publish {final} (errno {failed})");
        File.Delete(temp);
        return failed == 0;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    internal static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    internal static partial int Syncfs(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string name);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirectory, string oldPath, int newDirectory, string newPath, uint flags);
}
