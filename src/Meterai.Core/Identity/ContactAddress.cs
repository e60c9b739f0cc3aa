using System.Net.Mail;
using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>How a one-time code reaches an applicant.</summary>
public enum ContactKind
{
    Email = 1,
    Phone = 2,
}

/// <summary>
/// An applicant's login identifier: an e-mail address (trimmed, lower-cased) or an Indonesian mobile number in
/// E.164 form (<c>+628…</c>; <c>08…</c> and <c>628…</c> are accepted as typed). Normalised so that one person
/// cannot register the same address twice by changing its spelling.
/// </summary>
public readonly record struct ContactAddress(ContactKind Kind, string Value)
{
    public override string ToString() => Value;

    /// <summary>Parses what a person typed in the e-mail or phone field.</summary>
    public static Result<ContactAddress> Parse(string? text)
    {
        var t = text?.Trim() ?? "";
        if (t.Length == 0) return new Error(IdentityErrors.ContactInvalid, "an e-mail address or a mobile number is required");
        return t.Contains('@', StringComparison.Ordinal) ? ParseEmail(t) : ParsePhone(t);
    }

    public static Result<ContactAddress> ParseEmail(string text)
    {
        var t = text.Trim();
        if (t.Length > 254 || !MailAddress.TryCreate(t, out var address) || address.Address != t || !address.Host.Contains('.', StringComparison.Ordinal))
        {
            return new Error(IdentityErrors.ContactInvalid, "the e-mail address is not valid");
        }

        return new ContactAddress(ContactKind.Email, t.ToLowerInvariant());
    }

    public static Result<ContactAddress> ParsePhone(string text)
    {
        Span<char> digits = stackalloc char[24];
        var n = 0;
        var t = text.Trim();
        for (var i = 0; i < t.Length; i++)
        {
            var c = t[i];
            if (c is ' ' or '-' or '.' or '(' or ')') continue;
            if (c == '+' && i == 0) continue;
            if (!char.IsAsciiDigit(c) || n == digits.Length) return new Error(IdentityErrors.ContactInvalid, "the mobile number may hold only digits, spaces, dashes and a leading +");
            digits[n++] = c;
        }

        var d = new string(digits[..n]);
        if (d.StartsWith('0')) d = "62" + d[1..];
        // Indonesian mobile numbers: +62 8xx, 9 to 12 digits after the country code.
        if (!d.StartsWith("628", StringComparison.Ordinal) || d.Length is < 11 or > 14)
        {
            return new Error(IdentityErrors.ContactInvalid, "the mobile number must be an Indonesian mobile number (08… or +628…)");
        }

        return new ContactAddress(ContactKind.Phone, "+" + d);
    }

    /// <summary>A hint that tells the owner where the code went without telling anyone else the address.</summary>
    public string Masked()
    {
        if (Kind == ContactKind.Phone) return Value[..5] + new string('*', Value.Length - 8) + Value[^3..];
        var at = Value.IndexOf('@', StringComparison.Ordinal);
        return Value[..1] + new string('*', Math.Max(1, at - 1)) + Value[at..];
    }
}
