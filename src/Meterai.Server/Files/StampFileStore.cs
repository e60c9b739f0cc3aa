using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Meterai.Core.Common;
using Meterai.Storage;
using Meterai.Storage.Secrets;

namespace Meterai.Server.Files;

/// <summary>
/// The file store of stamped PDFs and queued uploads: a folder (one node) or a shared volume (several nodes),
/// <c>Files:Directory</c>, default <c>&lt;Database:DataDirectory&gt;/files</c>. Files are written to a temporary name,
/// made durable, and published under their final name with a link that fails when the name exists (then the name made
/// durable too): whoever publishes first wins, a second writer of the same attempt keeps the first file, and no reader
/// — nor a recovery after a power cut — ever sees half a file. Durability (<c>Files:Sync</c>): <c>group</c> (default on
/// Linux) shares one <c>syncfs</c> among every file finished at the same moment (<see cref="FileSystemSync"/>);
/// <c>file</c> fsyncs each file and its folder on <see cref="DiskWorkers"/>; <c>Files:Fsync=false</c> skips both
/// (diagnosis only).
/// Layout: <c>stamps/ab/cd/&lt;stamp id&gt;.&lt;attempt&gt;.pdf</c> (two levels of fan-out by id), <c>jobs/&lt;stamp id&gt;.pdf</c>
/// (uploads waiting for a job worker), <c>tmp/</c>.
/// </summary>
public sealed class StampFileStore : IDisposable
{
    private readonly string _root;
    private readonly bool _fsync;
    private readonly DiskWorkers _disk;
    private readonly FileSystemSync? _group;
    private readonly ConcurrentDictionary<string, bool> _folders = new(StringComparer.Ordinal);

    public StampFileStore(IConfiguration configuration, DatabaseOptions database, DiskWorkers disk)
    {
        _disk = disk;
        _root = Path.GetFullPath(configuration["Files:Directory"] is { Length: > 0 } dir ? dir : Path.Combine(database.DataDirectory, "files"));
        _fsync = configuration.GetValue("Files:Fsync", true);
        TempDirectory = Path.Combine(_root, "tmp");
        _stamps = Path.Combine(_root, "stamps");
        // Owner-only like the rest of the data folder (Storage.Secrets.DataFolder): stamped files are applicants' documents.
        DataFolder.CreateFolder(TempDirectory);
        DataFolder.CreateFolder(Path.Combine(_root, "jobs"));
        DataFolder.CreateFolder(_stamps);
        var mode = configuration["Files:Sync"] ?? (FileSystemSync.IsSupported ? "group" : "file");
        if (mode is not ("group" or "file")) throw new InvalidOperationException($"Files:Sync is '{mode}': use group or file");
        if (mode == "group" && !FileSystemSync.IsSupported) throw new InvalidOperationException("Files:Sync=group needs Linux (syncfs): use file");
        if (_fsync && mode == "group") _group = new FileSystemSync(_root);
    }

    // Computed once: every stamp asks for its paths a few times.
    private readonly string _stamps;

    /// <summary>How files are made durable: group, file or none.</summary>
    public string SyncMode => !_fsync ? "none" : _group is null ? "file" : "group";

    public string Root => _root;

    public string TempDirectory { get; }

    public string OutputPath(UInt128 stampId, int attempt)
    {
        var hex = Hex(stampId);
        // 4,096 folders (256 × 16): all exist after a few thousand stamps, so a stamp creates one inode, not three; at
        // a million stamps a day kept 72 h they hold under a thousand files each.
        return Path.Join(_stamps, hex.AsSpan(0, 2), hex.AsSpan(2, 1), string.Create(CultureInfo.InvariantCulture, $"{hex}.{attempt}.pdf"));
    }

    public string JobInputPath(UInt128 stampId) => Path.Combine(_root, "jobs", Hex(stampId) + ".pdf");

    /// <summary>A fresh temporary file name inside the store (same file system as the final names, so publishing is a link).</summary>
    public string NewTempPath() => Path.Combine(TempDirectory, Guid.NewGuid().ToString("N") + ".part");

    /// <summary>
    /// Writes bytes to a temporary file and publishes them as the attempt's output, durable when this returns (unless
    /// <c>Files:Fsync=false</c>). False when another writer published first.
    /// </summary>
    public Task<bool> PublishOutputAsync(UInt128 stampId, int attempt, ReadOnlyMemory<byte> content, CancellationToken ct) =>
        PublishBytesAsync(content, OutputPath(stampId, attempt));

    /// <summary>Writes <paramref name="content"/> and publishes it as <paramref name="final"/>, durable when this returns. False when the name was taken.</summary>
    public async Task<bool> PublishBytesAsync(ReadOnlyMemory<byte> content, string final)
    {
        if (_group is null)
        {
            var won = false;
            await _disk.RunAsync(() =>
            {
                var temp = NewTempPath();
                Write(temp, content.Span, flushToDisk: _fsync);
                won = Publish(temp, final);
            });
            return won;
        }

        // The two waits are shared syncs: the content before its name exists (a name must never point at unwritten
        // blocks), then the name. Creating and linking still run on the disk threads: while the file system commits
        // its journal (which a sync forces) they can block, and on the thread pool that would hold up every request.
        var part = NewTempPath();
        await _disk.RunAsync(() => Write(part, content.Span, flushToDisk: false));
        await _group.FlushAsync();
        return await PublishAsync(part, final);
    }

    private static void Write(string path, ReadOnlySpan<byte> content, bool flushToDisk)
    {
        var options = DataFolder.CreateFileOptions();
        options.BufferSize = 0;
        using var file = new FileStream(path, options);
        file.Write(content);
        if (flushToDisk) file.Flush(flushToDisk: true);
    }

    /// <summary>Publishes a durable temporary file under <paramref name="final"/>; the name is durable when this returns.</summary>
    public async Task<bool> PublishAsync(string temp, string final)
    {
        if (_group is null)
        {
            var won = false;
            await _disk.RunAsync(() => won = Publish(temp, final));
            return won;
        }

        var linked = false;
        await _disk.RunAsync(() => linked = Link(temp, final));
        if (linked) await _group.FlushAsync();
        return linked;
    }

    /// <summary>Publishes a finished temporary file under <paramref name="final"/>. False (and the temporary file removed) when the name is taken.</summary>
    public bool Publish(string temp, string final)
    {
        if (!Link(temp, final)) return false;
        if (_fsync) SyncDirectory(Path.GetDirectoryName(final)!);
        return true;
    }

    private bool Link(string temp, string final)
    {
        var folder = Path.GetDirectoryName(final)!;
        if (!_folders.ContainsKey(folder))
        {
            DataFolder.CreateFolder(folder);
            _folders.TryAdd(folder, true);
        }

        return Libc.LinkNoReplace(temp, final);
    }

    /// <summary>Flushes a file written elsewhere (a spilled upload) before it is published.</summary>
    public Task SyncAsync(FileStream file)
    {
        if (!_fsync) return Task.CompletedTask;
        if (_group is null) return _disk.RunAsync(() => file.Flush(flushToDisk: true));
        file.Flush(flushToDisk: false);
        return _group.FlushAsync();
    }

    /// <summary>The published output of an attempt with its SHA-256 and length, or null when there is none.</summary>
    public async Task<(byte[] Sha256, long Length)?> DescribeOutputAsync(UInt128 stampId, int attempt, CancellationToken ct)
    {
        var path = OutputPath(stampId, attempt);
        if (!File.Exists(path)) return null;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return (await SHA256.HashDataAsync(file, ct), file.Length);
    }

    public FileStream? OpenOutput(UInt128 stampId, int attempt)
    {
        try
        {
            return new FileStream(OutputPath(stampId, attempt), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Removes every attempt's output of a stamp (idempotent).</summary>
    public void DeleteOutputs(UInt128 stampId, int upToAttempt)
    {
        for (var a = 1; a <= upToAttempt; a++) File.Delete(OutputPath(stampId, a));
    }

    public void DeleteOutput(UInt128 stampId, int attempt) => File.Delete(OutputPath(stampId, attempt));

    public void DeleteJobInput(UInt128 stampId) => File.Delete(JobInputPath(stampId));

    /// <summary>Temporary files older than <paramref name="age"/> were left by a process that died mid-write.</summary>
    public int RemoveAbandonedTempFiles(TimeSpan age)
    {
        var removed = 0;
        foreach (var f in Directory.EnumerateFiles(TempDirectory, "*.part"))
        {
            try
            {
                if (File.GetLastWriteTimeUtc(f) < DateTime.UtcNow - age)
                {
                    File.Delete(f);
                    removed++;
                }
            }
            catch (IOException)
            {
            }
        }

        return removed;
    }

    public void Dispose() => _group?.Dispose();

    private static string Hex(UInt128 id) => PublicId.Format(id).Replace("-", "", StringComparison.Ordinal);

    private static void SyncDirectory(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        // The new name is metadata of the folder: fsync the folder so that the link survives a power cut too. .NET opens
        // no handle on a directory, so this goes to libc (open O_RDONLY works on a directory on Linux and macOS).
        var fd = Libc.Open(folder, 0);
        if (fd < 0) throw new IOException($"cannot open {folder} to flush it (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        try
        {
            if (Libc.Fsync(fd) != 0) throw new IOException($"fsync of {folder} failed (errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
