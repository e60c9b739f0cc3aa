using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;
using Meterai.Pdf.Appearance;
using Meterai.Pdf.Budget;
using Meterai.Pdf.Signing;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// Stamps e-Meterai onto PDFs: a visible stamp and a PAdES signature, appended as one incremental update so the
/// original bytes and earlier signatures stay intact. Thread-safe and meant to be shared: it caches what does not
/// change between stamps (the font program, signer profiles).
/// </summary>
/// <remarks>
/// Two steps, so that the key can live elsewhere: <see cref="Prepare(Stream, Stream, StampRequest, CadesSignature)"/>
/// reads the input once, writes it to the output and returns the 32-byte digest to sign; <see cref="CompleteAsync"/>
/// takes the signature value, adds a timestamp when configured, and appends the increment. <see cref="Stamp"/> does
/// both with an <see cref="ISigner"/>. Every failure a file or request can cause is an <see cref="Error"/> with a
/// code from <see cref="PdfErrorCodes"/> (or the signing part's codes): never an exception.
/// </remarks>
public sealed class StampEngine
{
    private const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    private const string EcdsaWithSha256 = "1.2.840.10045.4.3.2";

    private readonly StampFontCache _fonts = new();
    private readonly ConditionalWeakTable<ISigner, CadesSignature> _signerProfiles = [];
    private readonly ConcurrentDictionary<string, CadesSignature> _certificateProfiles = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<CadesSignature, string> _signerNames = [];

    public StampEngine(StampEngineOptions? options = null) => Options = options ?? new StampEngineOptions();

    public StampEngineOptions Options { get; }

    /// <summary>
    /// Step one with a signer known by its certificate and chain (the key is elsewhere). RSA keys sign
    /// sha256WithRSAEncryption, EC keys ecdsa-with-SHA256.
    /// </summary>
    public Result<PreparedStamp> Prepare(Stream input, Stream output, StampRequest request, X509Certificate2 signerCertificate, IReadOnlyList<X509Certificate2> chain)
    {
        var key = signerCertificate.Thumbprint + ":" + string.Join(",", chain.Select(c => c.Thumbprint));
        var profile = _certificateProfiles.GetOrAdd(key, _ => new CadesSignature(
            signerCertificate,
            chain,
            signerCertificate.GetECDsaPublicKey() is not null ? EcdsaWithSha256 : Sha256WithRsa));
        return Prepare(input, output, request, profile);
    }

    /// <summary>
    /// Step one: parses <paramref name="input"/> (seekable; random access, tail first), checks the rules, builds the
    /// whole increment with an empty /Contents, then copies the input to <paramref name="output"/> in one sequential
    /// pass while hashing it. The returned stamp holds the digest to sign and the increment.
    /// </summary>
    public Result<PreparedStamp> Prepare(Stream input, Stream output, StampRequest request, CadesSignature signer)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(signer);
        if (!input.CanSeek) throw new ArgumentException("the input stream must be seekable", nameof(input));

        var serial = request.Serial;
        var verifyUrl = Options.VerifyUrl(serial);
        var fieldName = "e-Meterai " + serial;
        var reason = serial + " " + (string.IsNullOrWhiteSpace(request.Reason) ? Options.DefaultReason : request.Reason.Trim());
        var signerName = _signerNames.GetValue(signer, p => p.SignerCertificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        var certify = request.Certify ?? Options.Certify;
        var capacity = signer.MaxEncodedSize(Options.TimestampClient?.MaxTokenSize ?? 0);
        using var budget = WorkBudget.Enter(Options.Limits);
        try
        {
            var increment = StampPipeline.Prepare(
                input,
                output,
                request,
                Options.Limits,
                (width, height) => StampAppearanceBuilder.Build(serial, verifyUrl, width, height, Options.Emblem),
                _ => new SignatureEntries(fieldName, reason, request.SigningTime, signerName, request.Location, verifyUrl, certify),
                capacity,
                _fonts);
            var prepared = signer.Prepare(increment.DocumentDigest);
            return new PreparedStamp(serial, increment, signer, prepared, increment.FieldName ?? fieldName);
        }
        catch (PdfFormatException e)
        {
            return e.ToError();
        }
        catch (WorkBudgetExceededException e)
        {
            return e.ToError();
        }
    }

    /// <summary>
    /// Step two: wraps <paramref name="signatureValue"/> (over <see cref="PreparedStamp.DigestToSign"/>) into the CMS,
    /// with a signature timestamp when a timestamp client is configured, fills /Contents and appends the increment to
    /// <paramref name="output"/>.
    /// </summary>
    public async ValueTask<Result<StampOutcome>> CompleteAsync(PreparedStamp prepared, ReadOnlyMemory<byte> signatureValue, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        byte[]? token = null;
        if (Options.TimestampClient is { } tsa)
        {
            var result = await tsa.GetTokenAsync(signatureValue, cancellationToken).ConfigureAwait(false);
            if (!result.IsOk) return result.Error;
            token = result.Value;
        }

        return Finish(prepared, signatureValue.Span, token, output);
    }

    /// <summary>
    /// <see cref="CompleteAsync"/> for callers without an event loop (the CLI, benchmarks). With an HTTP timestamp
    /// client it blocks the thread while waiting; a server should call <see cref="CompleteAsync"/>.
    /// </summary>
    public Result<StampOutcome> Complete(PreparedStamp prepared, ReadOnlySpan<byte> signatureValue, Stream output)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        byte[]? token = null;
        if (Options.TimestampClient is { } tsa)
        {
            var pending = tsa.GetTokenAsync(signatureValue.ToArray());
            var result = pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
            if (!result.IsOk) return result.Error;
            token = result.Value;
        }

        return Finish(prepared, signatureValue, token, output);
    }

    /// <summary>Both steps with a signer that holds the key in this process (a PKCS#12 file, the development issuer).</summary>
    public Result<StampOutcome> Stamp(Stream input, Stream output, StampRequest request, ISigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var profile = _signerProfiles.GetValue(signer, CadesSignature.For);
        var prepared = Prepare(input, output, request, profile);
        if (!prepared.IsOk) return prepared.Error;
        using var stamp = prepared.Value;
        return Complete(stamp, signer.SignDigest(stamp.DigestToSign.Span), output);
    }

    /// <summary><see cref="Stamp"/> without blocking on the timestamp authority.</summary>
    public async ValueTask<Result<StampOutcome>> StampAsync(Stream input, Stream output, StampRequest request, ISigner signer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var profile = _signerProfiles.GetValue(signer, CadesSignature.For);
        var prepared = Prepare(input, output, request, profile);
        if (!prepared.IsOk) return prepared.Error;
        using var stamp = prepared.Value;
        return await CompleteAsync(stamp, signer.SignDigest(stamp.DigestToSign.Span), output, cancellationToken).ConfigureAwait(false);
    }

    private static Result<StampOutcome> Finish(PreparedStamp prepared, ReadOnlySpan<byte> signatureValue, byte[]? token, Stream output)
    {
        var cms = prepared.Profile.CompleteRented(prepared.Signature, signatureValue, token);
        if (!cms.IsOk) return cms.Error;
        var (rented, length) = cms.Value;
        try
        {
            var sha256 = prepared.Increment.Complete(rented.AsSpan(0, length), output);
            return new StampOutcome(
                prepared.Serial,
                prepared.FieldName,
                prepared.OutputLength,
                sha256,
                prepared.PageCount,
                prepared.Repaired,
                prepared.Certified,
                token is not null,
                prepared.ByteRange) { Rectangle = prepared.Rectangle };
        }
        catch (PdfFormatException e)
        {
            return e.ToError();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
