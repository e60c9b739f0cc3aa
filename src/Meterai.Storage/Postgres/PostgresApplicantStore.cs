using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Npgsql;

namespace Meterai.Storage.Postgres;

internal sealed class PostgresApplicantStore(NpgsqlDataSource ds) : IApplicantStore
{
    private const string Columns = "id, channel_id, external_ref, email, phone, password_hash, status, created_at, verified_at";

    public Task<Result<Applicant>> RegisterAsync(ApplicantRegistration registration, CancellationToken cancellationToken = default) =>
        // Two people registering one address at once: the loser's INSERT fails the unique index and the whole
        // transaction is decided again (PostgresRetry), now finding the winner's row.
        Pg.InTransactionAsync<Result<Applicant>>(ds, async (conn, tx, ct) =>
        {
            var column = registration.Contact.Kind == ContactKind.Email ? "email" : "phone";
            var existing = await Pg.FirstAsync(conn, tx, $"SELECT {Columns} FROM applicants WHERE {column} = $1 FOR UPDATE", Read, ct,
                Pg.Text(registration.Contact.Value)).ConfigureAwait(false);
            if (existing is null)
            {
                var created = new Applicant(registration.Id, Channel.DirectId, null,
                    registration.Contact.Kind == ContactKind.Email ? registration.Contact.Value : null,
                    registration.Contact.Kind == ContactKind.Phone ? registration.Contact.Value : null,
                    registration.PasswordHash, ApplicantStatus.PendingVerification, TimeCodec.Truncate(registration.At), null);
                await Pg.ExecuteAsync(conn, tx, $"INSERT INTO applicants ({Columns}) VALUES ($1, $2, NULL, $3, $4, $5, 1, $6, NULL)", ct,
                    Pg.Id(created.Id), Pg.Id(created.ChannelId), Pg.Text(created.Email), Pg.Text(created.Phone), Pg.Text(created.PasswordHash),
                    Pg.Time(created.CreatedAt)).ConfigureAwait(false);
                return created;
            }

            if (existing.Status != ApplicantStatus.PendingVerification)
            {
                return new Error(IdentityErrors.ContactAlreadyRegistered, "this e-mail address or phone number is already registered: log in instead");
            }

            await Pg.ExecuteAsync(conn, tx, "UPDATE applicants SET password_hash = $1 WHERE id = $2", ct,
                Pg.Text(registration.PasswordHash), Pg.Id(existing.Id)).ConfigureAwait(false);
            return existing with { PasswordHash = registration.PasswordHash };
        }, cancellationToken);

    public async Task<Result<Applicant>> ActivateAsync(UInt128 id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        // Only a pending applicant changes; an active (or disabled) one is returned as it is.
        await Pg.ExecuteAsync(ds, "UPDATE applicants SET status = 2, verified_at = $1 WHERE id = $2 AND status = 1", cancellationToken,
            Pg.Time(at), Pg.Id(id)).ConfigureAwait(false);
        var applicant = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return applicant is null ? new Error(IdentityErrors.ApplicantNotFound, "no such applicant") : applicant;
    }

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

    private static Applicant Read(NpgsqlDataReader r) => new(
        r.GetId(0), r.GetId(1), r.GetStringOrNull(2), r.GetStringOrNull(3), r.GetStringOrNull(4), r.GetStringOrNull(5),
        (ApplicantStatus)r.GetInt16(6), r.GetTime(7), r.GetTimeOrNull(8));
}
