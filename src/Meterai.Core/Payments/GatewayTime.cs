using System.Globalization;

namespace Meterai.Core.Payments;

/// <summary>
/// Times on the gateway's wire: ISO 8601 to the second in Western Indonesian Time (WIB, UTC+07:00, no daylight
/// saving), e.g. "2025-01-31T14:05:00+07:00". Settlement days are WIB calendar days, as banks in Jakarta count them.
/// </summary>
public static class GatewayTime
{
    public static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    private const string Format = "yyyy-MM-dd'T'HH:mm:sszzz";

    public static string ToWire(DateTimeOffset time) => time.ToOffset(Wib).ToString(Format, CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);

    /// <summary>The WIB calendar day an instant falls on: the day of its settlement report.</summary>
    public static DateOnly WibDate(DateTimeOffset time) => DateOnly.FromDateTime(time.ToOffset(Wib).DateTime);

    /// <summary>The instants [start, end) of a WIB day.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) WibDay(DateOnly date)
    {
        var start = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Wib);
        return (start, start.AddDays(1));
    }

    public static string DateToWire(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
