using System.Security.Cryptography;
using System.Text;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Verification;

/// <summary>
/// What judging the signatures of one file may share, so that the work follows the distinct signatures, not the
/// fields naming them: fields whose /V is the same signature dictionary get its one judgement; signatures that end
/// the same revision share its hash (and their comparison, which <see cref="RevisionComparer"/> keeps per revision);
/// the same byte ranges are hashed once per algorithm (each /Contents is still checked: that is a small CMS, not
/// megabytes). A hundred fields sharing one signature thus cost one signature's work (they cost a hundred before).
/// </summary>
internal sealed class VerificationMemo
{
    private readonly Dictionary<ObjectId, SignatureReport> _judged = [];
    private readonly Dictionary<long, string> _revisionHashes = [];
    private readonly Dictionary<string, byte[]> _digests = new(StringComparer.Ordinal);

    /// <summary>The report of the signature dictionary <paramref name="value"/> names, judged once per dictionary (the caller sets the field's own members).</summary>
    public SignatureReport Judge(PdfObject? value, Func<SignatureReport> judge)
    {
        if (value is not PdfReference r) return judge();
        if (_judged.TryGetValue(r.Id, out var earlier)) return earlier;
        var report = judge();
        _judged[r.Id] = report;
        return report;
    }

    public string RevisionSha256(long revisionEnd, Func<string> hash) => Once(_revisionHashes, revisionEnd, hash);

    public byte[] Digest(IReadOnlyList<(long Start, long Length)> ranges, HashAlgorithmName algorithm, Func<byte[]> hash) =>
        Once(_digests, RangesKey(ranges) + "/" + algorithm.Name, hash);

    private static string RangesKey(IReadOnlyList<(long Start, long Length)> ranges)
    {
        var b = new StringBuilder(ranges.Count * 16);
        foreach (var (start, length) in ranges) b.Append(start).Append('+').Append(length).Append(',');
        return b.ToString();
    }

    private static TValue Once<TKey, TValue>(Dictionary<TKey, TValue> memo, TKey key, Func<TValue> make) where TKey : notnull
    {
        if (memo.TryGetValue(key, out var value)) return value;
        value = make();
        memo[key] = value;
        return value;
    }
}
