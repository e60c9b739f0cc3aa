using System.Globalization;
using System.Text;

namespace Meterai.Bench.Bounds;

/// <summary>
/// A large unsigned PDF whose cross-reference data is broken, so that opening it means recovery: every "N 0 obj" of
/// the file parsed, every object kept, a repair section listing them all. Issue 10 item 4 measured a 19 MiB one at
/// 3.9 s of processor time and +299 MB in a background stamp job. Small filler objects, seeded; the page is object 3.
/// </summary>
public static class DamagedPdf
{
    public static byte[] Create(long targetBytes, int seed = 1004)
    {
        var random = new Random(seed);
        var sb = new StringBuilder("%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n");
        sb.Append("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        sb.Append("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
        sb.Append("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n");
        for (var n = 4; sb.Length < targetBytes; n++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{n} 0 obj\n<< /Seq {n} /Values [{random.Next()} {random.Next()}] >>\nendobj\n");
        }

        // startxref points into the middle of a table that lists nothing: the reader must scan the file for its objects.
        var xref = sb.Length + 7;
        sb.Append("xref\n0 1\n0000000000 65535 f\r\ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n").Append(xref.ToString(CultureInfo.InvariantCulture)).Append("\n%%EOF\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }
}
