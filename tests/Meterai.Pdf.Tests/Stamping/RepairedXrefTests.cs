using System.Text;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;
using Meterai.Pdf.Tests.Support;
using Meterai.TestSupport;
using static Meterai.Pdf.Tests.Stamping.StampTestKit;

namespace Meterai.Pdf.Tests.Stamping;

/// <summary>
/// A repaired file's new cross-reference section leaves no number below /Size without an entry, and no reference on a
/// number without an object, so no reader rebuilds the table: qpdf, poppler and pyHanko open the output as it is.
/// </summary>
public sealed class RepairedXrefTests
{
    /// <summary>
    /// Objects 1–3 and 12–13 only (4–11 never defined), a form whose /DR names font 9 that nothing defines (poppler
    /// fetches the form's fonts), and a table whose offsets are all wrong: recovery, then repair.
    /// </summary>
    private static byte[] DamagedWithGaps()
    {
        const string content = "BT /F1 24 Tf 72 720 Td (Surat Pernyataan) Tj ET";
        var body = new StringBuilder("%PDF-1.4\n");
        body.Append("1 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /DR << /Font << /F9 9 0 R >> >> >> >>\nendobj\n");
        body.Append("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        body.Append("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 12 0 R /Resources << /Font << /F1 13 0 R >> >> >>\nendobj\n");
        body.Append($"12 0 obj\n<< /Length {content.Length} >>\nstream\n{content}\nendstream\nendobj\n");
        body.Append("13 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n");
        var xrefAt = body.Length;
        // Every offset points nowhere near its object.
        body.Append("xref\n0 4\n0000000000 65535 f\r\n0000000003 00000 n\r\n0000000005 00000 n\r\n0000000007 00000 n\r\n12 2\n0000000011 00000 n\r\n0000000013 00000 n\r\n");
        body.Append($"trailer\n<< /Size 14 /Root 1 0 R >>\nstartxref\n{xrefAt}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(body.ToString());
    }

    [Fact]
    public void A_generated_damaged_file_with_gaps_and_a_dangling_reference_opens_everywhere_without_reconstruction()
    {
        var input = DamagedWithGaps();
        var (output, outcome) = Stamp(input, Request(input));
        Assert.True(outcome.Repaired);
        var path = Fixtures.Fixtures.Save("repaired-gaps-stamped.pdf", output);
        PdfTools.AssertNoXrefHoles(output);
        AssertOpensWithoutReconstruction(path);
        var doc = PdfDocument.Open(new MemoryByteSource(output), PdfLimits.Default, null);
        Assert.IsType<PdfNull>(doc.GetObject(9)); // defined as what it always meant: null
        Assert.True(doc.Xref.TryGet(9, out var nine) && nine.Type == XrefEntryType.InFile);
        Assert.True(doc.Xref.TryGet(5, out var five) && five.Type == XrefEntryType.Free);
        Assert.Equal(0, PadesCheck.Run(path).ExitCode);
    }

    /// <summary>The corpus file whose repaired output once left objects 79–171 (and a few referenced ones) without entries.</summary>
    [Fact]
    public void The_corpus_file_with_a_broken_table_and_holes_is_stamped_into_a_file_no_reader_reconstructs()
    {
        var dir = TestEnvironment.RequireCorpus();
        var input = File.ReadAllBytes(Path.Combine(dir, "unreadable-metadata-damaged.pdf"));
        var (output, outcome) = Stamp(input, Request(input));
        Assert.True(outcome.Repaired);
        var path = Fixtures.Fixtures.Save("unreadable-metadata-damaged-stamped.pdf", output);
        PdfTools.AssertNoXrefHoles(output);
        AssertOpensWithoutReconstruction(path);
        Assert.Equal(0, PadesCheck.Run(path).ExitCode);
    }

    [Fact]
    public void The_free_entries_of_a_repaired_table_form_one_chain_from_object_zero()
    {
        var input = DamagedWithGaps();
        var (output, _) = Stamp(input, Request(input));
        var text = Encoding.Latin1.GetString(output);
        var section = text[text.LastIndexOf("\nxref\n", StringComparison.Ordinal)..text.LastIndexOf("trailer", StringComparison.Ordinal)];
        var lines = section.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("xref", lines[0]);
        var header = lines[1].Split(' ');
        Assert.Equal("0", header[0]); // one subsection from 0: no number skipped
        var entries = lines.Skip(2).Select(l => l.Split(' ')).ToList();
        Assert.Equal(int.Parse(header[1]), entries.Count);
        var free = entries.Select((e, n) => (n, e)).Where(x => x.e[2] == "f").ToDictionary(x => x.n, x => long.Parse(x.e[0]));
        Assert.Equal("65535", entries[0][1]);
        var seen = new List<int>();
        for (var at = (int)free[0]; at != 0; at = (int)free[at]) seen.Add(at);
        Assert.Equal(free.Keys.Where(n => n != 0).Order(), seen);
        Assert.Contains(4, seen);
        Assert.Contains(11, seen);
    }

    /// <summary>
    /// qpdf --check clean, and neither pdfinfo nor pdfsig says anything about the cross-reference data (poppler's
    /// "Invalid XRef entry", "xref num … try to reconstruct", "Couldn't find trailer dictionary"). What it says of the
    /// content (the null font both files name: "font resource is not a dictionary") is the document's own damage.
    /// </summary>
    private static void AssertOpensWithoutReconstruction(string path)
    {
        PdfTools.AssertQpdfClean(path);
        var qpdf = ExternalTool.Run("qpdf", ["--check", path]);
        Assert.DoesNotContain("WARNING", qpdf.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("reconstruct", qpdf.All, StringComparison.OrdinalIgnoreCase);
        foreach (var tool in new[] { "pdfinfo", "pdfsig" })
        {
            ExternalTool.Require(tool);
            var run = ExternalTool.Run(tool, [path]);
            foreach (var line in run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                Assert.False(line.Contains("xref", StringComparison.OrdinalIgnoreCase) || line.Contains("reconstruct", StringComparison.OrdinalIgnoreCase) ||
                    line.Contains("trailer", StringComparison.OrdinalIgnoreCase), $"{tool}: {line}");
            }
        }
    }
}
