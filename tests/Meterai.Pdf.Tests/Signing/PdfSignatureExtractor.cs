using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Meterai.Pdf.Tests.Signing;

/// <summary>
/// TEST-ONLY: finds signatures in a PDF with a regular expression over the raw bytes (the real reader is the
/// engine's). The /Contents hex string is the gap the ByteRange leaves; its /SubFilter is looked up in the same object.
/// </summary>
internal static partial class PdfSignatureExtractor
{
    public sealed record Found(long[] ByteRange, byte[] Contents, string? SubFilter, byte[] File)
    {
        public byte[] Digest(HashAlgorithmName algorithm)
        {
            using var hash = IncrementalHash.CreateHash(algorithm);
            for (var i = 0; i < ByteRange.Length; i += 2) hash.AppendData(File, (int)ByteRange[i], (int)ByteRange[i + 1]);
            return hash.GetHashAndReset();
        }
    }

    public static IReadOnlyList<Found> Find(byte[] file)
    {
        var text = Encoding.Latin1.GetString(file);
        var found = new List<Found>();
        foreach (Match m in ByteRangePattern().Matches(text))
        {
            var range = m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
            // The gap normally starts at '<'; some writers start it one byte later (and sign the '<').
            var open = text.LastIndexOf('<', (int)(range[0] + range[1]));
            var close = text.IndexOf('>', open);
            var hex = Regex.Replace(text[(open + 1)..close], @"\s", "");
            var objectStart = text.LastIndexOf(" obj", m.Index, StringComparison.Ordinal);
            var objectEnd = text.IndexOf("endobj", m.Index, StringComparison.Ordinal);
            var subFilter = SubFilterPattern().Match(text[objectStart..objectEnd]);
            found.Add(new Found(range, Convert.FromHexString(hex), subFilter.Success ? subFilter.Groups[1].Value : null, file));
        }

        return found;
    }

    [GeneratedRegex(@"/ByteRange\s*\[([\d\s]+)\]")]
    private static partial Regex ByteRangePattern();

    [GeneratedRegex(@"/SubFilter\s*/([A-Za-z0-9.]+)")]
    private static partial Regex SubFilterPattern();
}
