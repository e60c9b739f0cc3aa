using Meterai.Core.Common;

namespace Meterai.Core.Serials;

/// <summary>
/// The serial lifecycle rules, decided once here and applied by every store inside its transaction, with the
/// serial's row locked. Each says whether to write, to answer with the existing record (an idempotent repeat), or
/// to refuse with an error.
/// </summary>
public static class SerialRules
{
    public enum Verdict
    {
        Write,
        Repeat,
        Refuse,
    }

    public static (Verdict Verdict, Error? Error) Reserve(SerialRecord? existing, SerialReservation r)
    {
        if (existing is null) return (Verdict.Write, null);
        return existing.State switch
        {
            SerialState.Reserved when existing.PendingTransferId == r.PendingTransferId && existing.ChannelId == r.ChannelId && existing.OwnerId == r.OwnerId
                => (Verdict.Repeat, null),
            SerialState.Reserved => Refuse(SerialRegistryErrors.AlreadyReserved, "the serial is already reserved for another stamp"),
            SerialState.Stamped => Refuse(SerialRegistryErrors.AlreadyStamped, "the serial is already stamped on a document"),
            _ => Refuse(SerialRegistryErrors.Released, "the serial was released and can never be used again"),
        };
    }

    /// <summary>Checks a stamp's own fields before any lookup.</summary>
    public static Error? ValidateStamp(SerialStamp s)
    {
        if (s.DocumentSha256 is not { Length: 32 }) return new Error(SerialRegistryErrors.DocumentSha256Invalid, "a document SHA-256 is exactly 32 bytes");
        if (s.Page < 1) return new Error(SerialRegistryErrors.PageInvalid, "pages are numbered from 1");
        return null;
    }

    /// <param name="existing">The serial's record.</param>
    /// <param name="documentHolder">The serial the document is already stamped with, if any.</param>
    /// <param name="s">The stamp.</param>
    public static (Verdict Verdict, Error? Error) Stamp(SerialRecord? existing, SerialNumber? documentHolder, SerialStamp s)
    {
        if (ValidateStamp(s) is { } invalid) return (Verdict.Refuse, invalid);
        if (existing is null) return Refuse(SerialRegistryErrors.NotFound, "no such serial in the registry");
        switch (existing.State)
        {
            case SerialState.Released:
                return Refuse(SerialRegistryErrors.Released, "the serial was released and can never be used again");
            case SerialState.Stamped:
                return existing.DocumentSha256!.AsSpan().SequenceEqual(s.DocumentSha256) && existing.Page == s.Page && existing.ChannelId == s.ChannelId
                    ? (Verdict.Repeat, null)
                    : Refuse(SerialRegistryErrors.AlreadyStamped, "the serial is already stamped on another document");
        }

        if (existing.ChannelId != s.ChannelId) return Refuse(SerialRegistryErrors.ChannelMismatch, "only the channel that reserved the serial may stamp with it");
        if (documentHolder is { } holder && holder != existing.Serial)
        {
            return Refuse(SerialRegistryErrors.DocumentAlreadyStamped, "the document is already stamped with another serial");
        }

        return (Verdict.Write, null);
    }

    public static (Verdict Verdict, Error? Error) Release(SerialRecord? existing) => existing?.State switch
    {
        null => Refuse(SerialRegistryErrors.NotFound, "no such serial in the registry"),
        SerialState.Stamped => Refuse(SerialRegistryErrors.AlreadyStamped, "a stamped serial is bound forever and cannot be released"),
        SerialState.Released => (Verdict.Repeat, null),
        _ => (Verdict.Write, null),
    };

    private static (Verdict, Error?) Refuse(string code, string message) => (Verdict.Refuse, new Error(code, message));
}
