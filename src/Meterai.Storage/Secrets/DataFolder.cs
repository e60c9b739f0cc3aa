namespace Meterai.Storage.Secrets;

/// <summary>
/// The node's data folder (database, WAL/SHM, stamped files, job uploads, keys, the development outbox) is readable by
/// its owner only: the folder and every folder under it 0700, every file 0600. Files are created that way
/// (<see cref="CreateFileOptions"/>, <see cref="CreateFolder"/>); <see cref="Secure"/> runs at start and tightens a
/// folder written by an older version (or restored with looser modes).
/// </summary>
public static class DataFolder
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Written once the whole tree has been tightened, so a folder of a million stamped files is walked once, not at every start.</summary>
    public const string TightenedMarker = ".modes-tightened";

    private const UnixFileMode NotOwner = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
                                          | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder (0700) and tightens what is in it. The root is set 0700 at every start: it alone keeps other users out of everything below.</summary>
    public static void Secure(string path)
    {
        CreateFolder(path);
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(path, FolderMode);
        var marker = Path.Combine(path, TightenedMarker);
        if (File.Exists(marker))
        {
            foreach (var file in Directory.EnumerateFiles(path)) Tighten(file, FileMode);
            return;
        }

        TightenTree(path);
        using (new FileStream(marker, CreateFileOptions(System.IO.FileMode.Create)))
        {
        }
    }

    /// <summary>Creates a folder and each missing parent 0700 (.NET's CreateDirectory with a mode gives it to the last folder only).</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return;
        if (Path.GetDirectoryName(full) is { } parent) CreateFolder(parent);
        Directory.CreateDirectory(full, FolderMode);
    }

    /// <summary>Options for a new file in the data folder: 0600 from its creation (not chmod afterwards, when it was briefly readable).</summary>
    public static FileStreamOptions CreateFileOptions(System.IO.FileMode mode = System.IO.FileMode.CreateNew, FileAccess access = FileAccess.Write)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        return options;
    }

    /// <summary>Paths under <paramref name="root"/> that someone other than the owner can open (empty when secured).</summary>
    public static IEnumerable<string> ReadableByOthers(string root)
    {
        if (OperatingSystem.IsWindows()) yield break;
        if ((File.GetUnixFileMode(root) & NotOwner) != 0) yield return root;
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if ((File.GetUnixFileMode(entry) & NotOwner) != 0) yield return entry;
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void TightenTree(string root)
    {
        foreach (var folder in Directory.EnumerateDirectories(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            Tighten(folder, FolderMode);
        }

        foreach (var file in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            Tighten(file, FileMode);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string path, UnixFileMode mode)
    {
        try
        {
            var current = File.GetUnixFileMode(path);
            if ((current & NotOwner) != 0) File.SetUnixFileMode(path, (current & ~NotOwner) | mode);
        }
        catch (FileNotFoundException)
        {
            // Removed while we walked (a temporary file, a purged stamp): nothing left to protect.
        }
    }
}
