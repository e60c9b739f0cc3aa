namespace Meterai.Pdf.Stamping;

/// <summary>The human-readable entries of the signature dictionary (§12.8.1, table 252).</summary>
internal sealed record SignatureEntries(
    string FieldName,
    string Reason,
    DateTimeOffset SigningTime,
    string? SignerName,
    string? Location,
    string? ContactInfo,
    bool Certify)
{
    /// <summary>A PDF date (§7.9.4): D:YYYYMMDDHHmmSS+HH'mm'.</summary>
    public static string FormatDate(DateTimeOffset time)
    {
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return FormattableString.Invariant($"D:{time:yyyyMMddHHmmss}{sign}{abs.Hours:00}'{abs.Minutes:00}'");
    }
}
