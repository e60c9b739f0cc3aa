using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Meterai.Core.Common;
using Meterai.Core.Stamping;
using Meterai.Pdf.Structure;
using Meterai.Server.Api;

namespace Meterai.Server.Stamping;

/// <summary>
/// The fields of a stamp request, checked: <c>page</c> (1-based, default 1), <c>rect</c> (<c>x1,y1,x2,y2</c> in points in
/// the page's default user space; default: 62×62 pt (DefaultStampSize) at the bottom right of the page as displayed),
/// <c>document_type</c> (required, a code from /api/v1/document-types), <c>document_number</c>, <c>document_date</c>
/// (yyyy-mm-dd, from 1900-01-01 to tomorrow in WIB: <see cref="DocumentDates"/>), <c>document_value</c> (whole Rupiah), <c>applicant_id</c> (required when a channel stamps for one of its
/// applicants), <c>password</c> (of an encrypted PDF).
/// </summary>
public sealed record StampForm(int Page, PdfRect? Rect, StampDocument Document, UInt128? ApplicantId, string? Password)
{
    public const int MaxPage = 1_000_000;

    /// <param name="now">Decides the latest document date allowed (<see cref="DocumentDates"/>).</param>
    public static (StampForm? Form, IResult? Problem) Read(IReadOnlyDictionary<string, string> f, DateTimeOffset now)
    {
        var page = 1;
        if (f.TryGetValue("page", out var pageText) && (!int.TryParse(pageText, NumberStyles.None, CultureInfo.InvariantCulture, out page) || page is < 1 or > MaxPage))
        {
            return Bad("page_invalid", "page", "page is a page number from 1");
        }

        PdfRect? rect = null;
        if (f.TryGetValue("rect", out var rectText))
        {
            var parts = rectText.Split(',', StringSplitOptions.TrimEntries);
            var v = new double[4];
            if (parts.Length != 4 || parts.Select((p, i) => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) && double.IsFinite(v[i]) && Math.Abs(v[i]) < 1e6).Any(ok => !ok))
            {
                return Bad("rect_invalid", "rect", "rect is four numbers x1,y1,x2,y2 in points");
            }

            rect = new PdfRect(v[0], v[1], v[2], v[3]);
            if (rect.Value.IsEmpty) return Bad("rect_invalid", "rect", "rect has no area");
        }

        if (!f.TryGetValue("document_type", out var type) || string.IsNullOrWhiteSpace(type)) return Bad("field_missing", "document_type", "document_type is required (see /api/v1/document-types)");
        if (DocumentTypes.Find(type.Trim()) is not { } documentType) return Bad(StampErrors.DocumentTypeUnknown, "document_type", $"no document type '{type}': see /api/v1/document-types");

        var number = f.GetValueOrDefault("document_number")?.Trim();
        if (number is { Length: > 100 }) return Bad("document_number_invalid", "document_number", "document_number has at most 100 characters");
        DateOnly? date = null;
        if (f.TryGetValue("document_date", out var dateText))
        {
            if (!DateOnly.TryParseExact(dateText.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return Bad("document_date_invalid", "document_date", "document_date is a date yyyy-mm-dd");
            }

            if (!DocumentDates.IsAllowed(d, now))
            {
                return Bad("document_date_invalid", "document_date",
                    $"document_date is between {DocumentDates.Earliest:yyyy-MM-dd} and {DocumentDates.Latest(now):yyyy-MM-dd} (tomorrow in WIB)");
            }

            date = d;
        }

        long? value = null;
        if (f.TryGetValue("document_value", out var valueText))
        {
            if (!long.TryParse(valueText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > 1_000_000_000_000_000)
            {
                return Bad("document_value_invalid", "document_value", "document_value is a whole number of Rupiah");
            }

            value = amount;
        }

        UInt128? applicant = null;
        if (f.TryGetValue("applicant_id", out var applicantText))
        {
            if (!PublicId.TryParse(applicantText.Trim(), out var id)) return Bad("applicant_id_invalid", "applicant_id", "applicant_id is an applicant's id");
            applicant = id;
        }

        var password = f.GetValueOrDefault("password");
        if (password is { Length: > 256 }) return Bad("password_invalid", "password", "password has at most 256 characters");
        return (new StampForm(page, rect, new StampDocument(documentType.Code, string.IsNullOrEmpty(number) ? null : number, date, value), applicant,
            string.IsNullOrEmpty(password) ? null : password), null);
    }

    /// <summary>
    /// The request's fingerprint: SHA-256 over the upload's SHA-256 and every field, canonically written. A retry
    /// under the same Idempotency-Key must have the same one.
    /// </summary>
    public byte[] Fingerprint(byte[] uploadSha256, UInt128 applicantId)
    {
        var canonical = string.Join('\n',
            Convert.ToHexStringLower(uploadSha256),
            PublicId.Format(applicantId),
            Page.ToString(CultureInfo.InvariantCulture),
            Rect is { } r ? FormattableString.Invariant($"{r.X1:R},{r.Y1:R},{r.X2:R},{r.Y2:R}") : "auto",
            Document.TypeCode,
            Document.Number ?? "",
            Document.Date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
            Document.Value?.ToString(CultureInfo.InvariantCulture) ?? "",
            Password is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Password))));
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
    }

    private static (StampForm?, IResult?) Bad(string code, string field, string detail) => (null, ApiProblem.Field(code, field, detail));
}
