using Meterai.Core.Secrets;

namespace Meterai.TestSupport;

/// <summary>
/// The key-encryption key every test node seals its secrets with (a fixed test key, so several nodes of one test
/// database, and a node started again, open what another sealed). Never a key for real data.
/// </summary>
public static class TestSecrets
{
    public const string KeyEncryptionKey = "TK16lsrwhMHrZYbcMNsitEi/JrbMsIcDjcDRkhdBRvk=";

    /// <summary>Configuration for a node: <c>Secrets:KeyEncryptionKey=…</c> (as <c>Key=value</c>).</summary>
    public const string Setting = "Secrets:KeyEncryptionKey=" + KeyEncryptionKey;

    public static SecretSealer Sealer { get; } = new([new KeyEncryptionKey(Convert.FromBase64String(KeyEncryptionKey))]);
}
