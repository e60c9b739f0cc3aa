using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Microsoft.Data.Sqlite;

namespace Meterai.Storage.Sqlite;

internal sealed class SqliteApplicantStore(SqliteConnections db) : IApplicantStore
{
    private const string Columns = "id, channel_id, external_ref, email, phone, password_hash, status, created_at, verified_at";

    public Task<Result<Applicant>> RegisterAsync(ApplicantRegistration registration, CancellationToken cancellationToken = default) =>
        db.WriteAsync<Result<Applicant>>(async (conn, tx) =>
        {
            var ct = cancellationToken;
            var column = registration.Contact.Kind == ContactKind.Email ? "email" : "phone";
            var existing = await Sq.FirstAsync(conn, tx, $"SELECT {Columns} FROM applicants WHERE {column} = $v", Read, ct,
                ("$v", registration.Contact.Value)).ConfigureAwait(false);
            if (existing is null)
            {
                var created = new Applicant(registration.Id, Channel.DirectId, null,
                    registration.Contact.Kind == ContactKind.Email ? registration.Contact.Value : null,
                    registration.Contact.Kind == ContactKind.Phone ? registration.Contact.Value : null,
                    registration.PasswordHash, ApplicantStatus.PendingVerification, TimeCodec.Truncate(registration.At), null);
                await Sq.ExecuteAsync(conn, tx, $"INSERT INTO applicants ({Columns}) VALUES ($id, $ch, NULL, $e, $p, $h, 1, $t, NULL)", ct,
                    ("$id", Sq.Id(created.Id)), ("$ch", Sq.Id(created.ChannelId)), ("$e", created.Email), ("$p", created.Phone),
                    ("$h", created.PasswordHash), ("$t", Sq.Time(created.CreatedAt))).ConfigureAwait(false);
                return created;
            }

            if (existing.Status != ApplicantStatus.PendingVerification)
            {
                return new Error(IdentityErrors.ContactAlreadyRegistered, "this e-mail address or phone number is already registered: log in instead");
            }

            await Sq.ExecuteAsync(conn, tx, "UPDATE applicants SET password_hash = $h WHERE id = $id", ct,
                ("$h", registration.PasswordHash), ("$id", Sq.Id(existing.Id))).ConfigureAwait(false);
            return existing with { PasswordHash = registration.PasswordHash };
        }, cancellationToken);

    public async Task<Result<Applicant>> ActivateAsync(UInt128 id, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await Sq.ExecuteAsync(db, "UPDATE applicants SET status = 2, verified_at = $t WHERE id = $id AND status = 1", cancellationToken,
            ("$t", Sq.Time(at)), ("$id", Sq.Id(id))).ConfigureAwait(false);
        var applicant = await GetAsync(id, cancellationToken).ConfigureAwait(false);
        return applicant is null ? new Error(IdentityErrors.ApplicantNotFound, "no such applicant") : applicant;
    }

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

    private static Applicant Read(SqliteDataReader r) => new(
        r.GetId(0), r.GetId(1), r.GetStringOrNull(2), r.GetStringOrNull(3), r.GetStringOrNull(4), r.GetStringOrNull(5),
        (ApplicantStatus)r.GetInt16(6), r.GetTime(7), r.GetTimeOrNull(8));
}
