using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Npgsql;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresApplicantStore(NpgsqlDataSource ds) : IApplicantStore
{
    private const string Columns = "id, channel_id, external_ref, email, phone, password_hash, status, created_at, verified_at";

    public async Task<bool> BeginRegistrationAsync(PendingRegistration registration, CodeChallenge challenge, CancellationToken cancellationToken = default)
    {
        // One statement: the registration, its challenge, and whether the address already has an account.
        var (email, phone) = Split(registration.Contact);
        var taken = await Pg.QueryAsync(ds, $"""
            WITH r AS (
                INSERT INTO registrations (id, email, phone, password_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)),
            c AS (
                INSERT INTO code_challenges (id, applicant_id, purpose, code_hash, attempts, max_attempts, expires_at, consumed_at, created_at)
                VALUES ($7, $1, $8, $9, $10, $11, $12, NULL, $14))
            SELECT EXISTS (SELECT 1 FROM applicants WHERE {Column(registration.Contact)} = $13 AND status <> 1)
            """, r => r.GetBoolean(0), cancellationToken,
            Pg.Id(registration.Id), Pg.Text(email), Pg.Text(phone), Pg.Text(registration.PasswordHash), Pg.Time(registration.CreatedAt), Pg.Time(registration.ExpiresAt),
            Pg.Id(challenge.Id), Pg.Short((short)challenge.Purpose), Pg.Bytes(challenge.CodeHash), Pg.Int(challenge.Attempts), Pg.Int(challenge.MaxAttempts),
            Pg.Time(challenge.ExpiresAt), Pg.Text(registration.Contact.Value), Pg.Time(challenge.CreatedAt)).ConfigureAwait(false);
        return taken[0];
    }

    public async Task<Result<Applicant>> ConfirmRegistrationAsync(UInt128 challengeId, UInt128 registrationId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        // One statement (one round trip, atomic): consume the challenge, take the registration, make it the applicant.
        // Two confirmations of one address at once: the second INSERT waits for the first and then does nothing.
        var rows = await Pg.QueryAsync(ds, """
            WITH used AS (
                UPDATE code_challenges SET consumed_at = $1 WHERE id = $2 AND consumed_at IS NULL RETURNING id),
            reg AS (
                DELETE FROM registrations WHERE id = $3 AND EXISTS (SELECT 1 FROM used) RETURNING id, email, phone, password_hash),
            ins AS (
                INSERT INTO applicants (id, channel_id, external_ref, email, phone, password_hash, status, created_at, verified_at)
                SELECT id, $4, NULL, email, phone, password_hash, 2, $1, $1 FROM reg
                ON CONFLICT DO NOTHING RETURNING id)
            SELECT EXISTS (SELECT 1 FROM used), reg.email, reg.phone, reg.password_hash, EXISTS (SELECT 1 FROM ins)
            FROM (SELECT 1) AS one LEFT JOIN reg ON true
            """, r => (Used: r.GetBoolean(0), Email: r.GetStringOrNull(1), Phone: r.GetStringOrNull(2), Hash: r.GetStringOrNull(3), Inserted: r.GetBoolean(4)),
            cancellationToken, Pg.Time(at), Pg.Id(challengeId), Pg.Id(registrationId), Pg.Id(Channel.DirectId)).ConfigureAwait(false);
        var (used, email, phone, hash, inserted) = rows[0];
        if (!used) return new Error(IdentityErrors.CodeAlreadyUsed, "this code was already used: ask for a new one");
        if (hash is null) return new Error(IdentityErrors.ChallengeNotFound, "this registration has expired: register again");
        if (inserted) return new Applicant(registrationId, Channel.DirectId, null, email, phone, hash, ApplicantStatus.Active, TimeCodec.Truncate(at), TimeCodec.Truncate(at));

        // Only an applicant pending from before registrations were records of their own can still be taken over by a
        // confirmation (it never proved its address); an active or disabled one keeps its password.
        var upgraded = await Pg.FirstAsync(ds, $"""
            UPDATE applicants SET password_hash = $1, status = 2, verified_at = $2 WHERE {(email is not null ? "email" : "phone")} = $3 AND status = 1 AND external_ref IS NULL
            RETURNING {Columns}
            """, Read, cancellationToken, Pg.Text(hash), Pg.Time(at), Pg.Text(email ?? phone)).ConfigureAwait(false);
        return upgraded is not null
            ? upgraded
            : new Error(IdentityErrors.ContactAlreadyRegistered, "this e-mail address or phone number was registered by another confirmation: log in instead");
    }

    public Task<int> PurgeRegistrationsAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "DELETE FROM registrations WHERE expires_at < $1", cancellationToken, Pg.Time(before));

    public async Task<Applicant> CreateForChannelAsync(UInt128 id, UInt128 channelId, string externalRef, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await Pg.ExecuteAsync(ds, $"""
            INSERT INTO applicants ({Columns}) VALUES ($1, $2, $3, NULL, NULL, NULL, 2, $4, $4)
            ON CONFLICT (channel_id, external_ref) DO NOTHING
            """, cancellationToken, Pg.Id(id), Pg.Id(channelId), Pg.Text(externalRef), Pg.Time(at)).ConfigureAwait(false);
        return await Pg.FirstAsync(ds, $"SELECT {Columns} FROM applicants WHERE channel_id = $1 AND external_ref = $2", Read, cancellationToken,
                   Pg.Id(channelId), Pg.Text(externalRef)).ConfigureAwait(false)
               ?? throw new InvalidOperationException("the channel's applicant vanished after it was created");
    }

    public Task SetPasswordHashAsync(UInt128 id, string passwordHash, CancellationToken cancellationToken = default) =>
        Pg.ExecuteAsync(ds, "UPDATE applicants SET password_hash = $1 WHERE id = $2", cancellationToken, Pg.Text(passwordHash), Pg.Id(id));

    public Task<Applicant?> GetAsync(UInt128 id, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"SELECT {Columns} FROM applicants WHERE id = $1", Read, cancellationToken, Pg.Id(id));

    public Task<Applicant?> FindByContactAsync(ContactAddress contact, CancellationToken cancellationToken = default) =>
        Pg.FirstAsync(ds, $"SELECT {Columns} FROM applicants WHERE {(contact.Kind == ContactKind.Email ? "email" : "phone")} = $1", Read, cancellationToken,
            Pg.Text(contact.Value));

    public async Task<IReadOnlyList<Applicant>> ListByChannelAsync(UInt128 channelId, UInt128 after, int limit, CancellationToken cancellationToken = default) =>
        await Pg.QueryAsync(ds, $"SELECT {Columns} FROM applicants WHERE channel_id = $1 AND id > $2 ORDER BY id LIMIT $3", Read, cancellationToken,
            Pg.Id(channelId), Pg.Id(after), Pg.Int(limit)).ConfigureAwait(false);

    private static (string? Email, string? Phone) Split(ContactAddress c) => c.Kind == ContactKind.Email ? (c.Value, null) : (null, c.Value);

    private static string Column(ContactAddress c) => c.Kind == ContactKind.Email ? "email" : "phone";

    private static Applicant Read(NpgsqlDataReader r) => new(
        r.GetId(0), r.GetId(1), r.GetStringOrNull(2), r.GetStringOrNull(3), r.GetStringOrNull(4), r.GetStringOrNull(5),
        (ApplicantStatus)r.GetInt16(6), r.GetTime(7), r.GetTimeOrNull(8));
}
