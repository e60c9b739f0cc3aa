using Meterai.Core.Serials;
using Meterai.Pdf.Verification;
using Meterai.Server.Stamping;

namespace Meterai.Server.Verification;

/// <summary>An uploaded file's verification: the answer, or the problem that stopped it.</summary>
public sealed record FileVerificationOutcome(VerifyResponse? Response, IResult? Problem);

/// <summary>
/// The one verification of an uploaded PDF, shared by <c>POST /api/v1/verify</c> and the verification page's upload
/// form (<c>POST /v/{serial}</c>): every signature judged by the engine, each e-Meterai's serial looked up in the
/// registry. Bounds on verification (admission, budgets, answer size) belong here, so both entry points get them.
/// </summary>
public sealed class FileVerification(UploadReader uploads, IssuerKeys keys, SerialLookup lookup)
{
    public async Task<FileVerificationOutcome> VerifyAsync(HttpRequest request, CancellationToken ct)
    {
        using var read = await uploads.ReadAsync(request, ct);
        if (read.Problem is not null) return new FileVerificationOutcome(null, read.Problem);
        Meterai.Core.Common.Result<VerificationReport> verified;
        await using (var input = read.Upload!.OpenRead())
        {
            verified = PdfVerifier.Verify(input, read.Fields.GetValueOrDefault("password"), trustedRoots: [keys.TrustedRoot]);
        }

        if (!verified.IsOk) return new FileVerificationOutcome(null, Api.ApiProblem.Of(verified.Error));
        var report = verified.Value;
        var verdicts = new List<SignatureVerdict>();
        foreach (var sig in report.Signatures) verdicts.Add(await VerdictAsync(sig, ct));
        return new FileVerificationOutcome(VerifyResponse.Of(report, verdicts), null);
    }

    private async Task<SignatureVerdict> VerdictAsync(SignatureReport sig, CancellationToken ct)
    {
        RegistryMatch? registry = null;
        if (sig.Serial is not null && SerialNumber.TryParse(sig.Serial, out var serial))
        {
            var entry = await lookup.FindAsync(serial, ct);
            registry = entry is null
                ? new RegistryMatch("not_found", null, false, null, "unknown")
                : new RegistryMatch(entry.State, entry.DocumentSha256, entry.Valid && entry.DocumentSha256 == sig.RevisionSha256, entry.StampedAt, entry.ChannelName);
        }

        var issuerSigned = sig.IntegrityValid && sig.Trusted == true && sig.SignerSubject == keys.Signer.Certificate.Subject;
        return new SignatureVerdict(sig.FieldName, sig.SubFilter, sig.IntegrityValid, sig.FailureCode, sig.FailureMessage, sig.SignerName, sig.SignerSubject,
            sig.SigningTime, sig.TimestampTime, sig.Trusted, issuerSigned, sig.IsEMeterai, sig.Serial, registry, sig.RevisionEnd, sig.RevisionSha256,
            sig.CoversWholeFile, VerifyResponse.Level(sig.ChangesAfter), sig.ChangeNotes);
    }
}
