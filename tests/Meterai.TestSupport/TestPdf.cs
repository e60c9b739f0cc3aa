using Meterai.Bench;

namespace Meterai.TestSupport;

/// <summary>The tests' name for <see cref="SamplePdf"/> (the hand-written PDFs live in the bench so the attack set can use them too).</summary>
public static class TestPdf
{
    public static byte[] Create(int pages = 2, string text = "Surat Pernyataan", int padding = 0) => SamplePdf.Create(pages, text, padding);

    public static byte[] AppendContentChange(byte[] stamped) => SamplePdf.AppendContentChange(stamped);
}
