using Meterai.Core.Serials;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;
using Meterai.Pdf.Tests.Support;
using Meterai.Pdf.Verification;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Corpus;

/// <summary>
/// One test per row of the shared corpus manifest. A "stamp" row is stamped on page 1 and, for a multi-page file,
/// again on its last page; every output must pass qpdf --check, keep the input as a byte prefix, show the stamp inside
/// the rectangle and nowhere else (pdftoppm, compared pixel by pixel with the input), have a QR code zbarimg reads
/// as the verify URL at 150 and 300 dpi, carry valid new signatures
/// for pdfsig and for our verifier, and leave every earlier signature as valid — or as invalid — as it was.
/// A "reject" row must be refused with a code that fits its reason; with the password the reason gives, it is
/// stamped and checked like a "stamp" row.
/// </summary>
public class CorpusStampTests
{
    private const int Dpi = 40;
    private static readonly StampEngine Engine = new(new StampEngineOptions { PublicBaseUrl = "https://meterai.example" });

    public static TheoryData<string> Files => new(CorpusManifest.FileNames());

    [Theory]
    [MemberData(nameof(Files))]
    public void Row(string file)
    {
        var dir = TestEnvironment.RequireCorpus();
        var row = CorpusManifest.Rows(dir).Single(r => r.File == file);
        var path = Path.Combine(dir, file);
        if (row.Expected == "reject")
        {
            var refusal = TryStamp(File.ReadAllBytes(path), 1, null, null);
            Assert.False(refusal.IsOk, $"{file} should be refused ({row.Reason}) but was stamped");
            var allowed = ExpectedCodes(row.Reason);
            Assert.True(allowed.Contains(refusal.Error!.Code), $"{file}: refused with {refusal.Error} but its reason is \"{row.Reason}\" (expected one of {string.Join(", ", allowed)})");
            if (row.Password is { } password)
            {
                var wrong = TryStamp(File.ReadAllBytes(path), 1, null, password + "-wrong");
                Assert.Equal(PdfErrorCodes.WrongPassword, wrong.Error?.Code);
                StampAndCheck(path, row, password);
            }

            return;
        }

        StampAndCheck(path, row, row.Password);
    }

    private static string[] ExpectedCodes(string reason)
    {
        var r = reason.ToLowerInvariant();
        if (r.Contains("docmdp") || r.Contains("certified")) return [PdfErrorCodes.CertifiedNoChanges, PdfErrorCodes.PermissionDenied, PdfErrorCodes.FieldLocked];
        if (r.Contains("password")) return [PdfErrorCodes.PasswordRequired];
        if (r.Contains("permission")) return [PdfErrorCodes.PermissionDenied];
        if (r.Contains("recoverable") || r.Contains("page tree") || r.Contains("truncated")) return [PdfErrorCodes.Truncated, PdfErrorCodes.NotAPdf];
        return [];
    }

    private static Meterai.Core.Common.Result<StampOutcome> TryStamp(byte[] input, int page, PdfRect? rect, string? password, MemoryStream? output = null)
    {
        output ??= new MemoryStream();
        if (rect is null)
        {
            var g = PageInspector.Describe(new MemoryStream(input, writable: false), page, password);
            if (!g.IsOk) return g.Error;
            rect = g.Value.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin);
        }

        var request = new StampRequest { Serial = SerialNumber.New(), Page = page, Rectangle = rect.Value, SigningTime = DateTimeOffset.Now, Password = password };
        return Engine.Stamp(new MemoryStream(input, writable: false), output, request, TestSigner.Signer);
    }

    private static void StampAndCheck(string path, CorpusRow row, string? password)
    {
        var original = File.ReadAllBytes(path);
        var earlier = PdfTools.Pdfsig(path, password);
        var geometry = PageInspector.Describe(new MemoryStream(original, writable: false), 1, password);
        Assert.True(geometry.IsOk, $"{row.File}: {geometry.Error}");
        var pages = geometry.Value.PageCount;
        var targets = pages > 1 ? new[] { 1, pages } : [1];

        var current = original;
        var currentPath = path;
        var serials = new List<string>();
        foreach (var page in targets)
        {
            var g = PageInspector.Describe(new MemoryStream(current, writable: false), page, password).Value;
            var rect = g.BottomRight(DefaultStampSize.Width, DefaultStampSize.Height, DefaultStampSize.Margin);
            var output = new MemoryStream();
            var result = TryStamp(current, page, rect, password, output);
            if (!result.IsOk && row.Reason.Contains("else reject", StringComparison.Ordinal) && result.Error.Code == PdfErrorCodes.Truncated) return;
            Assert.True(result.IsOk, $"{row.File} page {page}: {result.Error}");
            var stamped = output.ToArray();
            var outcome = result.Value;
            serials.Add(outcome.Serial.Value);

            Assert.True(stamped.AsSpan(0, current.Length).SequenceEqual(current), $"{row.File}: the input is not a byte prefix of the output");
            Assert.Equal(stamped.Length, outcome.OutputLength);
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(stamped), outcome.Sha256);
            Assert.Equal(pages, outcome.PageCount);

            var outPath = Path.Combine(Path.GetTempPath(), $"meterai-corpus-{Environment.ProcessId}-{page}-{row.File}");
            File.WriteAllBytes(outPath, stamped);
            try
            {
                PdfTools.AssertQpdfClean(outPath, password);
                if (outcome.Repaired) PdfTools.AssertNoXrefHoles(stamped, password);
                // Small pages (a 4-pt image page) are rendered finer, so that the rectangle covers enough pixels.
                var dpi = (int)Math.Clamp(Math.Ceiling(200 * 72 / Math.Min(g.VisibleBox.Width, g.VisibleBox.Height)), Dpi, 6000);
                var before = PageRaster.Render(currentPath, page, dpi, password);
                var after = PageRaster.Render(outPath, page, dpi, password);
                if ((before.Width != after.Width || before.Height != after.Height) && row.Features.Contains("broken-xref", StringComparison.Ordinal))
                {
                    // poppler cannot lay out the damaged input's page at all (e.g. 0×0 pt); the repaired output without
                    // its annotations is then the page as it was.
                    before = PageRaster.Render(outPath, page, dpi, password, hideAnnotations: true);
                }

                var box = PageRaster.ToPixels(rect, g.VisibleBox, g.Rotate, dpi);
                PageRaster.AssertStampedInside(before, after, box, $"{row.File} page {page} (rotate {g.Rotate})");

                // The QR code scans on the real page at screen and print resolutions (unless the page is too small for
                // a legible stamp, which is then drawn scaled down into it: see AppearanceFitting).
                if (rect.Width >= DefaultStampSize.Width - 0.01 && rect.Height >= DefaultStampSize.Height - 0.01)
                {
                    foreach (var scanDpi in new[] { 150, 300 })
                    {
                        var read = QrScan.Stamp(outPath, page, scanDpi, password, PageRaster.ToPixels(rect, g.VisibleBox, g.Rotate, scanDpi));
                        Assert.Equal(Engine.Options.VerifyUrl(outcome.Serial), read);
                    }
                }
            }
            finally
            {
                if (currentPath != path) File.Delete(currentPath);
            }

            current = stamped;
            currentPath = outPath;
        }

        try
        {
            // pdfsig: every earlier signature as it was, every new one valid.
            var now = PdfTools.Pdfsig(currentPath, password);
            Assert.Equal(earlier.Count + serials.Count, now.Count);
            for (var i = 0; i < earlier.Count; i++)
            {
                Assert.True(earlier[i].Validation == now[i].Validation, $"{row.File}: pdfsig said \"{earlier[i].Validation}\" of {earlier[i].FieldName} before stamping and \"{now[i].Validation}\" after");
            }

            foreach (var s in now.Skip(earlier.Count)) Assert.True(s.IsValid, $"{row.File}: pdfsig says the new signature {s.FieldName} is \"{s.Validation}\"");

            // Our own verifier agrees, and sees only signatures added after each e-Meterai but the last.
            var report = PdfVerifier.Verify(new MemoryStream(current, writable: false), password);
            Assert.True(report.IsOk, $"{row.File}: {report.Error}");
            var ours = report.Value.Signatures.Where(s => s.IsEMeterai).ToList();
            Assert.Equal(serials, ours.Select(s => s.Serial));
            Assert.All(ours, s => Assert.True(s.IntegrityValid, $"{row.File}: {s.FieldName}: {s.FailureCode} {s.FailureMessage}"));
            Assert.True(ours[^1].CoversWholeFile && ours[^1].ChangesAfter == ModificationLevel.None, $"{row.File}: the last stamp should cover the file");
            foreach (var s in ours.SkipLast(1)) Assert.True(s.ChangesAfter == ModificationLevel.Harmless, $"{row.File}: after {s.FieldName}: {s.ChangesAfter} {string.Join("; ", s.ChangeNotes)}");
            Assert.False(report.Value.ChangedAfterEMeterai);
        }
        finally
        {
            if (currentPath != path) File.Delete(currentPath);
        }
    }
}
