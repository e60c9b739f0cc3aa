using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Tests.Support;

/// <summary>
/// The development issuer the CLI and server use, created once per test run in a temporary data folder: an RSA-2048
/// issuer under a development root, which pdfsig and our verifier can both check.
/// </summary>
internal static class TestSigner
{
    private static readonly Lazy<DevelopmentIssuer> Lazy = new(() =>
        DevelopmentIssuer.LoadOrCreate(Path.Combine(Path.GetTempPath(), "meterai-test-issuer-" + Environment.ProcessId), Meterai.TestSupport.TestSecrets.Sealer));

    public static DevelopmentIssuer Issuer => Lazy.Value;

    public static ISigner Signer => Lazy.Value.Signer;
}
