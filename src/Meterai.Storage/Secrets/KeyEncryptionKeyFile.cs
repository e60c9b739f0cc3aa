using Meterai.Core.Secrets;

namespace Meterai.Storage.Secrets;

/// <summary>
/// Where the key-encryption keys come from: <c>Secrets:KeyEncryptionKey</c> (one or more base64 keys, comma
/// separated, oldest first: for a secret store that hands them over as an environment variable) or
/// <c>Secrets:KeyEncryptionKeyFile</c> (a 0600 file, one base64 key per line, oldest first, <c>#</c> comments).
/// The last key seals; every key opens.
/// </summary>
/// <remarks>
/// A development machine with neither gets a file generated on first use at <see cref="DevelopmentPath"/>: the
/// user's configuration folder (<c>~/.config/meterai/key-encryption.keys</c>), not the data folder and not the
/// database, so a copy of the data folder or a database backup still opens nothing; every node and CLI run of the
/// same user on that machine finds the same key. Production never generates one: a key that exists only on one
/// node would lock every other node out of the secrets it seals.
/// </remarks>
public static class KeyEncryptionKeyFile
{
    public const string FileName = "key-encryption.keys";

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The development key file: <c>$XDG_CONFIG_HOME/meterai/key-encryption.keys</c> (default <c>~/.config</c>).</summary>
    public static string DevelopmentPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.DoNotVerify), "meterai", FileName);

    /// <summary>Keys given inline (base64, comma separated, oldest first).</summary>
    public static SecretSealer FromText(string keys) => new(Parse(keys.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), "Secrets:KeyEncryptionKey"));

    public static SecretSealer Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no key-encryption key file at {path} (create one with `meterai kek create --file {path}`)", path);
        return new SecretSealer(Parse(File.ReadAllLines(path), path));
    }

    /// <summary>Loads the file, first creating it (0600, in a 0700 folder) with one new key when it does not exist.</summary>
    public static SecretSealer LoadOrCreate(string path)
    {
        if (!File.Exists(path)) TryCreate(path, KeyEncryptionKey.New());
        return Load(path);
    }

    /// <summary>Adds a new key at the end of the file (creating it when absent): it seals from the next start on.</summary>
    public static KeyEncryptionKey Append(string path)
    {
        var key = KeyEncryptionKey.New();
        if (TryCreate(path, key)) return key;
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write);
        stream.Write(System.Text.Encoding.ASCII.GetBytes(key.ToBase64() + "\n"));
        stream.Flush(flushToDisk: true);
        return key;
    }

    private static bool TryCreate(string path, KeyEncryptionKey key)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, OwnerOnlyFolder);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        try
        {
            using var stream = new FileStream(path, options);
            var text = "# Meterai key-encryption keys: one base64 key a line, oldest first; the last one seals.\n"
                       + "# Keep this file out of the data folder and out of backups of the database.\n"
                       + key.ToBase64() + "\n";
            stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false; // another process created it first: use theirs
        }
    }

    private static List<KeyEncryptionKey> Parse(IEnumerable<string> lines, string source)
    {
        var keys = new List<KeyEncryptionKey>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(line);
            }
            catch (FormatException)
            {
                throw new InvalidOperationException($"{source}: a key-encryption key is not base64");
            }

            if (bytes.Length != KeyEncryptionKey.Size) throw new InvalidOperationException($"{source}: a key-encryption key must be {KeyEncryptionKey.Size} bytes, not {bytes.Length}");
            keys.Add(new KeyEncryptionKey(bytes));
        }

        if (keys.Count == 0) throw new InvalidOperationException($"{source} holds no key-encryption key");
        return keys;
    }
}
