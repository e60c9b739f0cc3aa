namespace Meterai.Server.Stamping;

/// <summary>
/// A PDF upload read from a request: in pooled memory when small, spilled to a temporary file in the file store when
/// larger (<c>Stamping:MemoryUploadBytes</c>), with its length and SHA-256 computed while it streamed in.
/// </summary>
public sealed class StampUpload : IDisposable
{
    private StampUpload(PooledBuffer? memory, string? path, long length, byte[] sha256, string? fileName)
    {
        InMemory = memory;
        TempPath = path;
        Length = length;
        Sha256 = sha256;
        FileName = fileName;
    }

    public PooledBuffer? InMemory { get; }

    /// <summary>The spilled file, when the upload did not stay in memory (moved away when it becomes a job's input).</summary>
    public string? TempPath { get; private set; }

    public long Length { get; }

    public byte[] Sha256 { get; }

    public string? FileName { get; }

    public static StampUpload Memory(PooledBuffer buffer, byte[] sha256, string? fileName) => new(buffer, null, buffer.Length, sha256, fileName);

    public static StampUpload File(string path, long length, byte[] sha256, string? fileName) => new(null, path, length, sha256, fileName);

    /// <summary>A seekable stream over the upload for the engine.</summary>
    public Stream OpenRead() =>
        (Stream?)InMemory?.OpenRead() ?? new FileStream(TempPath!, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess);

    /// <summary>The temporary file now belongs to someone else (it was published as a job's input).</summary>
    public void ReleaseFile() => TempPath = null;

    public void Dispose()
    {
        InMemory?.Dispose();
        if (TempPath is not null)
        {
            try
            {
                System.IO.File.Delete(TempPath);
            }
            catch (IOException)
            {
            }
        }
    }
}
