using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteApplicantStore(SqliteConnections db) : IApplicantStore
{
    private const string Columns = "id, channel_id, external_ref, email, phone, password_hash, status, created_at, verified_at";

    public Task<bool> BeginRegistrationAsync(PendingRegistration registration, CodeChallenge challenge, CancellationToken cancellationToken = default) =>
        db.WriteAsync(async (conn, tx) =>
        {
            var ct = cancellationToken;
            var (email, phone) = Split(registration.Contact);
            await Sq.ExecuteAsync(conn, tx, "INSERT INTO registrations (id, email, phone, password_hash, created_at, expires_at) VALUES ($id, $e, $p, $h, $t, $x)", ct,
                ("$id", Sq.Id(registration.Id)), ("$e", email), ("$p", phone), ("$h", registration.PasswordHash), ("$t", Sq.Time(registration.CreatedAt)),
                ("$x", Sq.Time(registration.ExpiresAt))).ConfigureAwait(false);
            await SqliteCodeChallengeStore.InsertAsync(conn, tx, challenge, ct).ConfigureAwait(false);
            var taken = await Sq.QueryAsync(conn, tx, $"SELECT EXISTS (SELECT 1 FROM applicants WHERE {Column(registration.Contact)} = $v AND status <> 1)", r => r.GetInt64(0) == 1, ct,
                ("$v", registration.Contact.Value)).ConfigureAwait(false);
            return taken[0];
        }, cancellationToken);

    public Task<Result<Applicant>> ConfirmRegistrationAsync(UInt128 challengeId, UInt128 registrationId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<Applicant>>(async (conn, tx) =>
        {
            var ct = cancellationToken;
            var consumed = await Sq.ExecuteAsync(conn, tx, "UPDATE code_challenges SET consumed_at = $t WHERE id = $id AND consumed_at IS NULL", ct,
                ("$t", Sq.Time(at)), ("$id", Sq.Id(challengeId))).ConfigureAwait(false);
            if (consumed == 0) return CodeAlreadyUsed();
            var found = await Sq.QueryAsync(conn, tx, "DELETE FROM registrations WHERE id = $id RETURNING email, phone, password_hash",
                r => (Email: r.GetStringOrNull(0), Phone: r.GetStringOrNull(1), Hash: r.GetString(2)), ct, ("$id", Sq.Id(registrationId))).ConfigureAwait(false);
            if (found.Count == 0) return RegistrationGone();
            var registration = found[0];

            var applicant = new Applicant(registrationId, Channel.DirectId, null, registration.Email, registration.Phone, registration.Hash, ApplicantStatus.Active,
                TimeCodec.Truncate(at), TimeCodec.Truncate(at));
            var inserted = await Sq.ExecuteAsync(conn, tx, $"INSERT INTO applicants ({Columns}) VALUES ($id, $ch, NULL, $e, $p, $h, 2, $t, $t) ON CONFLICT DO NOTHING", ct,
                ("$id", Sq.Id(applicant.Id)), ("$ch", Sq.Id(applicant.ChannelId)), ("$e", applicant.Email), ("$p", applicant.Phone), ("$h", applicant.PasswordHash),
                ("$t", Sq.Time(at))).ConfigureAwait(false);
            if (inserted == 1) return applicant;

            var column = applicant.Email is not null ? "email" : "phone";
            var address = applicant.Email ?? applicant.Phone;
            var upgraded = await Sq.QueryAsync(conn, tx, $"""
                UPDATE applicants SET password_hash = $h, status = 2, verified_at = $t WHERE {column} = $v AND status = 1 AND external_ref IS NULL
                RETURNING {Columns}
                """, Read, ct, ("$h", applicant.PasswordHash), ("$t", Sq.Time(at)), ("$v", address)).ConfigureAwait(false);
            return upgraded.Count == 1 ? upgraded[0] : AlreadyRegistered();
        }, cancellationToken);

    public Task<int> PurgeRegistrationsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "DELETE FROM registrations WHERE expires_at < $t", cancellationToken, ("$t", Sq.Time(before)));

    public async Task<Applicant> CreateForChannelAsync(UInt128 id, UInt128 channelId, string externalRef, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await Sq.ExecuteAsync(db, $"""
            INSERT INTO applicants ({Columns}) VALUES ($id, $ch, $ref, NULL, NULL, NULL, 2, $t, $t)
            ON CONFLICT (channel_id, external_ref) DO NOTHING
            """, cancellationToken, ("$id", Sq.Id(id)), ("$ch", Sq.Id(channelId)), ("$ref", externalRef), ("$t", Sq.Time(at))).ConfigureAwait(false);
        return await Sq.FirstAsync(db, $"SELECT {Columns} FROM applicants WHERE channel_id = $ch AND external_ref = $ref", Read, cancellationToken,
                   ("$ch", Sq.Id(channelId)), ("$ref", externalRef)).ConfigureAwait(false)
               ?? throw new InvalidOperationException("the channel's applicant vanished after it was created");
    }

    public Task SetPasswordHashAsync(UInt128 id, string passwordHash, CancellationToken cancellationToken = default) =>
        Sq.ExecuteAsync(db, "UPDATE applicants SET password_hash = $h WHERE id = $id", cancellationToken, ("$h", passwordHash), ("$id", Sq.Id(id)));

    public Task<Applicant?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Sq.FirstAsync(db, $"SELECT {Columns} FROM applicants WHERE id = $id", Read, cancellationToken, ("$id", Sq.Id(id)));

    public Task<Applicant?> FindByContactAsync(ContactAddress contact, CancellationToken cancellationToken = default) =>
        Sq.FirstAsync(db, $"SELECT {Columns} FROM applicants WHERE {(contact.Kind == ContactKind.Email ? "email" : "phone")} = $v", Read, cancellationToken,
            ("$v", contact.Value));

    public async Task<IReadOnlyList<Applicant>> ListByChannelAsync(UInt128 channelId, UInt128 after, int limit, CancellationToken cancellationToken = default) =>
        await Sq.QueryAsync(db, $"SELECT {Columns} FROM applicants WHERE channel_id = $ch AND id > $after ORDER BY id LIMIT $n", Read, cancellationToken,
            ("$ch", Sq.Id(channelId)), ("$after", Sq.Id(after)), ("$n", limit)).ConfigureAwait(false);

    private static (string? Email, string? Phone) Split(ContactAddress c) => c.Kind == ContactKind.Email ? (c.Value, null) : (null, c.Value);

    private static string Column(ContactAddress c) => c.Kind == ContactKind.Email ? "email" : "phone";

    private static Error CodeAlreadyUsed() => new(IdentityErrors.CodeAlreadyUsed, "this code was already used: ask for a new one");

    private static Error RegistrationGone() => new(IdentityErrors.ChallengeNotFound, "this registration has expired: register again");

    private static Error AlreadyRegistered() =>
        new(IdentityErrors.ContactAlreadyRegistered, "this e-mail address or phone number was registered by another confirmation: log in instead");

    private static Applicant Read(SqliteDataReader r) => new(
        r.GetId(0), r.GetId(1), r.GetStringOrNull(2), r.GetStringOrNull(3), r.GetStringOrNull(4), r.GetStringOrNull(5),
        (ApplicantStatus)r.GetInt16(6), r.GetTime(7), r.GetTimeOrNull(8));
}
