using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Common;
using Meterai.Core.Serials;
using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Verification;

/// <summary>
/// Judges every signature of a PDF: the /ByteRange must be sane and leave out exactly the /Contents string, the CMS
/// must verify over the covered bytes (streamed, never buffered), and the revisions after it must not have changed
/// what was signed. Thread-safe (static); bounded like the stamping engine.
/// </summary>
public static class PdfVerifier
{
    public const string ByteRangeInvalid = "byte_range_invalid";

    /// <summary>Most signatures judged in one file: each costs a pass over the bytes it covers and a comparison of revisions.</summary>
    public const int MaxSignatures = 100;
    public const string ContentsMissing = "contents_missing";

    public static Result<VerificationReport> Verify(Stream input, string? password = null, PdfLimits? limits = null, IReadOnlyCollection<X509Certificate2>? trustedRoots = null)
    {
        limits ??= PdfLimits.Default;
        using var budget = WorkBudget.Enter(limits);
        try
        {
            var source = ByteSource.For(input);
            if (source.Length > limits.MaxInputBytes) return new Error(PdfErrorCodes.TooLarge, $"the file is larger than the {limits.MaxInputBytes / (1024 * 1024)} MB limit");
            PdfDocument doc;
            try
            {
                doc = PdfDocument.Open(source, limits, password);
                return Verify(doc, password, trustedRoots);
            }
            catch (PdfDamageException damage)
            {
                doc = PdfDocument.OpenRecovered(source, limits, password, damage.Message);
                return Verify(doc, password, trustedRoots);
            }
        }
        catch (PdfFormatException e)
        {
            return e.ToError();
        }
        catch (PdfDamageException e)
        {
            return new Error(PdfErrorCodes.Malformed, $"the file is damaged beyond repair: {e.Message}");
        }
        catch (WorkBudgetExceededException e)
        {
            return e.ToError();
        }
    }

    private static VerificationReport Verify(PdfDocument doc, string? password, IReadOnlyCollection<X509Certificate2>? trustedRoots)
    {
        var catalog = doc.ResolveDictionary(doc.Trailer["Root"]);
        var acroForm = catalog is null ? null : doc.ResolveDictionary(catalog["AcroForm"]);
        var fields = SignatureFields.Find(doc, acroForm);
        var certifying = catalog is not null && doc.ResolveDictionary(catalog["Perms"]) is { } perms ? perms["DocMDP"] as PdfReference : null;
        var reports = new List<SignatureReport>();
        if (fields.Count(f => f.IsSigned) > MaxSignatures) throw PdfFormatException.Limit($"the file has more than {MaxSignatures} signatures");
        var comparer = new RevisionComparer(doc, password);
        var memo = new VerificationMemo();
        foreach (var field in fields)
        {
            if (field.Value is not { } sig) continue;
            var judged = memo.Judge(field.ValueReference, () => Judge(doc, field, sig, comparer, trustedRoots, certifying, memo));
            reports.Add(judged with { FieldName = field.Name, FieldObject = (field.FieldReference as PdfReference)?.Id.Number ?? 0 });
        }

        // Oldest first: the order in which they were applied.
        reports.Sort((a, b) => a.RevisionEnd.CompareTo(b.RevisionEnd));
        LaterSignatureCoverage.Apply(reports);
        DocMdpRules.Apply(reports);
        return new VerificationReport(doc.Length, doc.IsRecovered, reports);
    }

    private static SignatureReport Judge(PdfDocument doc, SignatureField field, PdfDictionary sig, RevisionComparer comparer, IReadOnlyCollection<X509Certificate2>? trustedRoots,
        PdfReference? certifying, VerificationMemo memo)
    {
        var subFilter = (doc.Resolve(sig["SubFilter"]) as PdfName)?.Value;
        var reason = doc.Resolve(sig["Reason"]) is PdfString r ? r.ToText() : null;
        var serial = SerialAtStart(reason);
        var signingTime = doc.Resolve(sig["M"]) is PdfString m ? ParseDate(m.ToText()) : null;
        var name = doc.Resolve(sig["Name"]) is PdfString n ? n.ToText() : null;
        var level = CertificationLevel(doc, sig, field, certifying);

        var report = new SignatureReport
        {
            FieldName = field.Name,
            SubFilter = subFilter,
            IntegrityValid = false,
            SignerName = name,
            SigningTime = signingTime,
            Reason = reason,
            IsEMeterai = serial is not null,
            Serial = serial,
            CertificationLevel = level,
            RevisionEnd = 0,
            RevisionSha256 = "",
            CoversWholeFile = false,
            ChangesAfter = ModificationLevel.Changed,
            FieldObject = (field.FieldReference as PdfReference)?.Id.Number ?? 0,
        };

        var ranges = ByteRanges(doc, sig, out var rangeProblem, out var exactGaps);
        if (ranges is null) return report with { FailureCode = ByteRangeInvalid, FailureMessage = rangeProblem };
        var end = ranges[^1].Start + ranges[^1].Length;
        var after = comparer.Compare(end);
        report = report with
        {
            RevisionEnd = end,
            RevisionSha256 = memo.RevisionSha256(end, () => Convert.ToHexStringLower(HashRange(doc.Source, [(0, end)], HashAlgorithmName.SHA256))),
            // As poppler judges it: the signature covers the file only if it leaves out exactly the /Contents string.
            CoversWholeFile = end == doc.Length && exactGaps,
            ChangesAfter = after.Level,
            ChangeNotes = after.Notes,
            ChangeNoteCount = after.NoteCount,
            LaterSignatures = after.LaterSignatures,
        };

        if (doc.Resolve(sig["Contents"]) is not PdfString contents || contents.Bytes.Length == 0)
        {
            return report with { FailureCode = ContentsMissing, FailureMessage = "the signature dictionary has no /Contents" };
        }

        var parsed = CmsSignatureVerifier.Parse(contents.Bytes, subFilter);
        if (!parsed.IsOk) return report with { FailureCode = parsed.Error.Code, FailureMessage = parsed.Error.Message };
        var cms = parsed.Value;
        var verdict = cms.Verify(memo.Digest(ranges, cms.ByteRangeDigestAlgorithm, () => HashRange(doc.Source, ranges, cms.ByteRangeDigestAlgorithm)));
        bool? trusted = trustedRoots is null ? null : cms.CheckChain(trustedRoots).IsTrusted;
        return report with
        {
            IntegrityValid = verdict.IsValid,
            FailureCode = verdict.Failure?.Code,
            FailureMessage = verdict.Failure?.Message,
            SignerName = verdict.SignerCommonName ?? name,
            SignerSubject = verdict.SignerSubject,
            TimestampTime = verdict.Timestamp is { IsValid: true } ts ? ts.Time : null,
            Trusted = trusted,
        };
    }

    /// <summary>
    /// The /ByteRange as (start, length) pairs, checked: it starts at 0, its pieces are in order inside the file, and
    /// the gaps between them hold exactly a hex string (the /Contents), so nothing but the signature is left out.
    /// </summary>
    private static List<(long Start, long Length)>? ByteRanges(PdfDocument doc, PdfDictionary sig, out string? problem, out bool exactGaps)
    {
        problem = null;
        exactGaps = true;
        if (doc.Resolve(sig["ByteRange"]) is not PdfArray { Count: >= 4 } array || array.Count % 2 != 0)
        {
            problem = "/ByteRange is missing or not an even number of integers";
            return null;
        }

        var ranges = new List<(long, long)>();
        long previousEnd = -1;
        for (var i = 0; i < array.Count; i += 2)
        {
            if (doc.Resolve(array[i]) is not PdfInteger { Value: >= 0 } start || doc.Resolve(array[i + 1]) is not PdfInteger { Value: >= 0 } length)
            {
                problem = "/ByteRange holds something other than non-negative integers";
                return null;
            }

            if (i == 0 && start.Value != 0 || start.Value < previousEnd || start.Value + length.Value > doc.Length)
            {
                problem = "/ByteRange does not start at 0, overlaps itself or reaches past the end of the file";
                return null;
            }

            if (previousEnd >= 0)
            {
                if (!IsHexStringGap(doc.Source, previousEnd, start.Value, out var bracketed))
                {
                    problem = "the bytes /ByteRange leaves out are not just the /Contents hex string";
                    return null;
                }

                exactGaps &= bracketed;
            }

            ranges.Add((start.Value, length.Value));
            previousEnd = start.Value + length.Value;
        }

        return ranges;
    }

    // Most signers leave out the string with its angle brackets; some leave out only the hex digits between them.
    private static bool IsHexStringGap(ByteSource source, long from, long to, out bool bracketed)
    {
        bracketed = false;
        if (to - from < 1) return false;
        Span<byte> edge = stackalloc byte[1];
        var opens = source.ReadAt(from, edge) == 1 && edge[0] == '<';
        if (opens) from++;
        var closes = to > from && source.ReadAt(to - 1, edge) == 1 && edge[0] == '>';
        if (closes) to--;
        bracketed = opens && closes;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (var at = from; at < to;)
            {
                var n = source.ReadAt(at, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - at)));
                if (n <= 0) return false;
                foreach (var b in buffer.AsSpan(0, n))
                {
                    if (!char.IsAsciiHexDigit((char)b) && !Lexer.IsWhitespace(b)) return false;
                }

                at += n;
                WorkBudget.Tick();
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static byte[] HashRange(ByteSource source, IEnumerable<(long Start, long Length)> ranges, HashAlgorithmName algorithm)
    {
        using var hash = IncrementalHash.CreateHash(algorithm);
        if (source.IsInMemory)
        {
            var span = source.Memory.Span;
            foreach (var (start, length) in ranges)
            {
                hash.AppendData(span.Slice((int)start, (int)length));
                WorkBudget.Check();
            }

            return hash.GetHashAndReset();
        }

        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            foreach (var (start, length) in ranges)
            {
                for (long done = 0; done < length;)
                {
                    var n = source.ReadAt(start + done, buffer.AsSpan(0, (int)Math.Min(buffer.Length, length - done)));
                    if (n <= 0) break;
                    hash.AppendData(buffer, 0, n);
                    done += n;
                    WorkBudget.Check();
                }
            }

            return hash.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int? CertificationLevel(PdfDocument doc, PdfDictionary sig, SignatureField field, PdfReference? certifying)
    {
        var isCertifying = certifying is not null && field.ValueReference is PdfReference v && v.Id == certifying.Id;
        if (doc.Resolve(sig["Reference"]) is PdfArray references)
        {
            foreach (var item in references)
            {
                if (doc.ResolveDictionary(item) is not { } reference || doc.Resolve(reference["TransformMethod"]) is not PdfName { Value: "DocMDP" }) continue;
                var p = doc.ResolveDictionary(reference["TransformParams"]) is { } tp && doc.Resolve(tp["P"]) is PdfInteger pi ? (int)Math.Clamp(pi.Value, 1, 3) : 2;
                return p;
            }
        }

        return isCertifying ? 2 : null;
    }

    /// <summary>The serial an e-Meterai's /Reason starts with, when it is well formed (its check character included).</summary>
    internal static string? SerialAtStart(string? reason)
    {
        if (reason is null || reason.Length < SerialNumber.Length) return null;
        if (reason.Length > SerialNumber.Length && !char.IsWhiteSpace(reason[SerialNumber.Length])) return null;
        return SerialNumber.TryParse(reason[..SerialNumber.Length], out var serial) ? serial.Value : null;
    }

    /// <summary>Reads a PDF date (§7.9.4) leniently: D:YYYYMMDDHHmmSS with an optional Z or ±HH'mm'.</summary>
    internal static DateTimeOffset? ParseDate(string text)
    {
        if (text.StartsWith("D:", StringComparison.Ordinal)) text = text[2..];
        if (text.Length < 4 || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)) return null;
        int Part(int at, int fallback) => text.Length >= at + 2 && int.TryParse(text.AsSpan(at, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;
        var offset = TimeSpan.Zero;
        if (text.Length > 14 && text[14] is '+' or '-')
        {
            var sign = text[14] == '-' ? -1 : 1;
            var rest = text[15..].Replace("'", "");
            var hours = rest.Length >= 2 && int.TryParse(rest.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var h) ? h : 0;
            var minutes = rest.Length >= 4 && int.TryParse(rest.AsSpan(2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var mm) ? mm : 0;
            offset = sign * new TimeSpan(hours, minutes, 0);
        }

        try
        {
            if (year is < 1 or > 9999) return null;
            var month = Math.Clamp(Part(4, 1), 1, 12);
            var day = Math.Clamp(Part(6, 1), 1, DateTime.DaysInMonth(year, month));
            return new DateTimeOffset(year, month, day, Math.Clamp(Part(8, 0), 0, 23), Math.Clamp(Part(10, 0), 0, 59), Math.Clamp(Part(12, 0), 0, 59), offset);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
