using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Meterai.Core.Serials;
using Meterai.Pdf.Appearance;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Pdf.Tests.Stamping;

// Throwaway experiment until the appearance and CAdES parts land.
public class PipelineProbe(ITestOutputHelper output)
{
    private static readonly X509Certificate2 Cert = MakeCert();

    private static X509Certificate2 MakeCert()
    {
        var rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=Probe", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private static StampAppearance Appearance(Placement p)
    {
        var font = new StampFont("AAAAAA+DejaVuSans", File.ReadAllBytes("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), 32, 126,
            Enumerable.Repeat(600, 95).ToList(), 32, [-1021, -463, 1793, 1232], 0, 928, -236, 729, 80);
        var w = p.Width; var h = p.Height;
        var content = System.Text.Encoding.ASCII.GetBytes(FormattableString.Invariant(
            $"q 0.9 0.2 0.2 rg 0 0 {w} {h} re f 0 0 1 rg 2 2 {w / 3} {h / 3} re f BT /F1 12 Tf 0 g 5 {h - 15} Td (e-METERAI) Tj ET Q"));
        return new StampAppearance(content, w, h, font);
    }

    [Fact]
    public void Probe()
    {
        var dir = Meterai.TestSupport.TestEnvironment.RequireCorpus();
        var outDir = Path.Combine(Path.GetTempPath(), "meterai-probe");
        Directory.CreateDirectory(outDir);
        var fonts = new StampFontCache();
        foreach (var line in File.ReadAllLines(Path.Combine(dir, "MANIFEST.tsv")).Skip(1))
        {
            var cols = line.Split('\t');
            var file = cols[0];
            var bytes = File.ReadAllBytes(Path.Combine(dir, file));
            using var outStream = new MemoryStream();
            string result;
            try
            {
                var serial = SerialNumber.New();
                var req = new StampRequest { Serial = serial, Rectangle = new PdfRect(0, 0, 1, 1), SigningTime = DateTimeOffset.Now };
                using var prepared = StampPipeline.Prepare(new MemoryStream(bytes), outStream, req with { Rectangle = Rect(bytes) }, PdfLimits.Default, Appearance,
                    t => new SignatureEntries("e-Meterai " + serial, serial + " e-Meterai", DateTimeOffset.Now, "Probe", null, null, false), 8192, fonts);
                var inc = prepared.Increment;
                var signed = bytes.Concat(inc.Bytes[..inc.ContentsOffset]).Concat(inc.Bytes[(inc.ContentsOffset + inc.ContentsLength)..]).ToArray();
                var cms = new SignedCms(new ContentInfo(signed), detached: true);
                cms.ComputeSignature(new CmsSigner(Cert));
                prepared.Complete(cms.Encode(), outStream);
                var path = Path.Combine(outDir, file);
                File.WriteAllBytes(path, outStream.ToArray());
                var q = Meterai.TestSupport.ExternalTool.Run("qpdf", ["--check", path]);
                var s = Meterai.TestSupport.ExternalTool.Run("pdfsig", [path]);
                var valid = s.StdOut.Split("Signature #").Skip(1).Select(x => x.Contains("Signature is Valid") ? "V" : x.Contains("Digest Mismatch") ? "M" : "?");
                result = $"qpdf={q.ExitCode} sigs={string.Join("", valid)} rep={prepared.Repaired} pages={prepared.PageCount} {(q.ExitCode != 0 ? q.All.Replace('\n', '|')[..Math.Min(300, q.All.Length)] : "")}";
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                result = "EXC " + e.GetType().Name + " " + e.Message;
            }

            output.WriteLine($"{file} [{cols[6]}]: {result}");
        }
    }

    private static PdfRect Rect(byte[] bytes)
    {
        var g = PageInspector.Describe(new MemoryStream(bytes), 1);
        return g.IsOk ? g.Value.BottomRight(140, 90, 20) : new PdfRect(0, 0, 1, 1);
    }
}
