using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Support;

/// <summary>The independent checkers the stamping tests trust: qpdf for structure, pdfsig (poppler/NSS) for signatures.</summary>
internal static class PdfTools
{
    public sealed record PdfsigSignature(string FieldName, string Validation)
    {
        public bool IsValid => Validation.StartsWith("Signature is Valid", StringComparison.Ordinal);
    }

    /// <summary>qpdf --check must exit 0: no errors and no warnings.</summary>
    public static void AssertQpdfClean(string path, string? password = null)
    {
        ExternalTool.Require("qpdf");
        var args = new List<string> { "--check" };
        if (password is not null) args.Add("--password=" + password);
        args.Add(path);
        var r = ExternalTool.Run("qpdf", args);
        Assert.True(r.ExitCode == 0, $"qpdf --check {Path.GetFileName(path)} exited {r.ExitCode}:\n{r.All}");
    }

    /// <summary>
    /// The file opens without recovery and its cross-reference chain has an entry for every number below /Size (object
    /// 0, which heads the free list, is not kept by the reader): no reader has a reason to rebuild it.
    /// </summary>
    public static void AssertNoXrefHoles(byte[] pdf, string? password = null)
    {
        var doc = Meterai.Pdf.Parsing.PdfDocument.Open(new Meterai.Pdf.Parsing.MemoryByteSource(pdf), PdfLimits.Default, password);
        Assert.False(doc.IsRecovered);
        var size = ((Meterai.Pdf.Objects.PdfInteger)doc.Trailer["Size"]!).Value;
        var missing = Enumerable.Range(1, (int)size - 1).Where(n => !doc.Xref.TryGet(n, out _)).ToList();
        Assert.True(missing.Count == 0, $"no cross-reference entry for {missing.Count} numbers below /Size {size}, from {missing.FirstOrDefault()}");
    }

    /// <summary>Every signature pdfsig reports, in file order, with its "Signature Validation" line.</summary>
    public static List<PdfsigSignature> Pdfsig(string path, string? password = null)
    {
        ExternalTool.Require("pdfsig");
        var args = new List<string>();
        if (password is not null) args.AddRange(["-upw", password]);
        args.Add(path);
        var r = ExternalTool.Run("pdfsig", args);
        if (password is not null && r.All.Contains("Incorrect password", StringComparison.Ordinal))
        {
            args[0] = "-opw"; // the owner password
            r = ExternalTool.Run("pdfsig", args);
        }

        var result = new List<PdfsigSignature>();
        string? field = null;
        foreach (var line in r.StdOut.Split('\n'))
        {
            var t = line.Trim();
            if (t.StartsWith("Signature #", StringComparison.Ordinal)) field = "";
            else if (t.StartsWith("- Signature Field Name:", StringComparison.Ordinal)) field = t["- Signature Field Name:".Length..].Trim();
            else if (t.StartsWith("- Signature Validation:", StringComparison.Ordinal) && field is not null)
            {
                result.Add(new PdfsigSignature(field, t["- Signature Validation:".Length..].Trim()));
                field = null;
            }
        }

        return result;
    }
}
