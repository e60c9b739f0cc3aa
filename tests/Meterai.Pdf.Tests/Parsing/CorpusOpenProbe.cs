using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Tests.Parsing;

public class CorpusOpenProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var dir = Meterai.TestSupport.TestEnvironment.RequireCorpus();
        foreach (var f in Directory.GetFiles(dir, "*.pdf").Order())
        {
            var bytes = File.ReadAllBytes(f);
            var src = new MemoryByteSource(bytes);
            string result = "";
            try
            {
                PdfDocument doc;
                try { doc = PdfDocument.Open(src, PdfLimits.Default, null); }
                catch (PdfDamageException e) { doc = PdfDocument.OpenRecovered(src, PdfLimits.Default, null, e.Message); result = "RECOVERED(" + e.Message + ") "; }
                var root = doc.ResolveDictionary(doc.Trailer["Root"]);
                var pages = doc.ResolveDictionary(root?["Pages"]);
                result += $"ok xref={doc.Xref.Count} sections={doc.Sections.Count} enc={doc.Security?.Revision} count={pages?["Count"]} rec={doc.IsRecovered} flawed={doc.Recovery?.FlawedObjects.Count} pagesFound={doc.Recovery?.PageObjects.Count}";
            }
            catch (PdfFormatException e) { result = "ERR " + e.Code + " " + e.Message; }
            output.WriteLine($"{Path.GetFileName(f)}: {result}");
        }
    }
}
