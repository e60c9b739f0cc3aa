namespace Meterai.Core.Stamping;

/// <summary>
/// The dates a stamped document may carry: from <see cref="Earliest"/> (1900-01-01: old papers are stamped later when
/// they become evidence, "pemeteraian kemudian") to tomorrow in WIB (<see cref="DaysAhead"/>: a document dated today
/// in WITA or WIT is already tomorrow's date late in a WIB evening; anything later is a typo or a probe such as
/// 9999-12-31, issue 10 item 10c).
/// </summary>
public static class DocumentDates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);

    public const int DaysAhead = 1;

    /// <summary>Western Indonesia Time (UTC+7, no daylight saving): the service's calendar.</summary>
    public static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    public static DateOnly TodayInWib(DateTimeOffset now) => DateOnly.FromDateTime(now.ToOffset(Wib).DateTime);

    public static DateOnly Latest(DateTimeOffset now) => TodayInWib(now).AddDays(DaysAhead);

    public static bool IsAllowed(DateOnly date, DateTimeOffset now) => date >= Earliest && date <= Latest(now);
}
