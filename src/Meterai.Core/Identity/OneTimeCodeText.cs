using System.Globalization;

namespace Meterai.Core.Identity;

/// <summary>What an applicant reads: a subject and a body, in Bahasa Indonesia first, then English.</summary>
public sealed record MessageText(string Subject, string Body);

/// <summary>The wording of one-time codes and account notices, for every sender (mail, SMS, the development outbox).</summary>
public static class OneTimeCodeText
{
    private static readonly TimeSpan Wib = TimeSpan.FromHours(7);

    public static MessageText For(OneTimeCodeMessage message)
    {
        var until = message.ExpiresAt.ToOffset(Wib).ToString("HH:mm", CultureInfo.InvariantCulture);
        var (id, en) = message.Purpose == CodePurpose.Registration ? ("pendaftaran", "registration") : ("masuk", "sign-in");
        return new MessageText(
            $"Kode {id} Meterai: {message.Code} / Meterai {en} code",
            $"Kode {id} Meterai Anda: {message.Code}. Berlaku sampai pukul {until} WIB. Jangan berikan kode ini kepada siapa pun, termasuk petugas Meterai.\n\n" +
            $"Your Meterai {en} code: {message.Code}. Valid until {until} WIB (UTC+7). Do not share this code with anyone, Meterai staff included.");
    }

    public static MessageText For(AccountNotice notice) => notice.Kind switch
    {
        AccountNoticeKind.RegistrationAttempt => new MessageText(
            "Percobaan pendaftaran Meterai / Meterai registration attempt",
            "Seseorang mencoba mendaftarkan alamat ini di Meterai, padahal alamat ini sudah memiliki akun. Jika itu Anda, silakan masuk atau atur ulang kata sandi. Jika bukan, abaikan pesan ini: akun Anda tidak berubah.\n\n" +
            "Someone tried to register this address with Meterai, but it already has an account. If that was you, sign in or reset your password. If not, ignore this message: your account has not changed."),
        _ => throw new ArgumentOutOfRangeException(nameof(notice), notice.Kind, "no wording for this notice"),
    };
}
