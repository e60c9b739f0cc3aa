using Meterai.Core.Stamping;

namespace Meterai.Core.Tests.Stamping;

/// <summary>A stamped document's date lies between 1900-01-01 and tomorrow on the WIB calendar (UTC+7).</summary>
public sealed class DocumentDatesTests
{
    [Theory]
    // 16:59 UTC is 23:59 WIB on 2 December: tomorrow is the 3rd.
    [InlineData("2026-12-02T16:59:00Z", "2026-12-03", true)]
    [InlineData("2026-12-02T16:59:00Z", "2026-12-04", false)]
    // 17:00 UTC is already 3 December in WIB: the 4th is allowed, though it is only the 2nd in UTC.
    [InlineData("2026-12-02T17:00:00Z", "2026-12-04", true)]
    [InlineData("2026-12-02T17:00:00Z", "2026-12-05", false)]
    [InlineData("2026-12-02T12:00:00Z", "1900-01-01", true)]
    [InlineData("2026-12-02T12:00:00Z", "1899-12-31", false)]
    [InlineData("2026-12-02T12:00:00Z", "9999-12-31", false)]
    public void A_date_is_allowed_from_1900_to_tomorrow_in_wib(string now, string date, bool allowed) =>
        Assert.Equal(allowed, DocumentDates.IsAllowed(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));
}
