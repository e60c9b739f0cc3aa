using System.Collections.Concurrent;
using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;

namespace Meterai.Server.Identity;

/// <summary>
/// Whether a well-signed token names someone this service knows, as the token says they are: an active,
/// self-registered applicant of the token's channel; a channel holding the token's API key; an operator who exists,
/// is not disabled and holds every role the token claims. A token that fails is one the service never issued (made
/// with a stolen key) or whose operator was disabled since: 401 <c>token_subject_unknown</c> or
/// <c>token_revoked</c>, never a 500 further down.
/// <para>
/// Cost: operators are few and so are their requests, so each is checked against the database (one primary-key
/// read), and disabling one stops its tokens at once on every node. Applicants and API keys are many and on the
/// stamping path: each node remembers the ones it has seen (they are never deleted, nor do they change channel), so
/// only the first request of each on a node costs a read; the node that issues a token remembers its subject at
/// once. Revoked keys and suspended channels are <see cref="AccessRevocationCache"/>'s.
/// </para>
/// </summary>
public sealed class TokenSubjects(IApplicantStore applicants, IChannelStore channels, IOperatorStore operators)
{
    /// <summary>Bounds the memory (about 100 bytes an entry); when full the node forgets and reads again.</summary>
    private const int MaxRemembered = 200_000;

    private readonly ConcurrentDictionary<UInt128, UInt128> _applicantChannels = new();
    private readonly ConcurrentDictionary<UInt128, UInt128> _apiKeyChannels = new();

    public async ValueTask<Error?> CheckAsync(Principal principal, CancellationToken ct) => principal.Kind switch
    {
        PrincipalKind.Applicant => await CheckApplicantAsync(principal, ct).ConfigureAwait(false),
        PrincipalKind.Channel => await CheckChannelAsync(principal, ct).ConfigureAwait(false),
        PrincipalKind.Operator => await CheckOperatorAsync(principal, ct).ConfigureAwait(false),
        _ => Unknown(),
    };

    /// <summary>Remembers the subject of a token this node just issued (it was read from the database to issue it).</summary>
    public void Remember(Principal principal)
    {
        if (principal.IsApplicant) Put(_applicantChannels, principal.Id, principal.ChannelId);
        else if (principal.IsChannel) Put(_apiKeyChannels, principal.ApiKeyId, principal.Id);
    }

    private async ValueTask<Error?> CheckApplicantAsync(Principal p, CancellationToken ct)
    {
        if (_applicantChannels.TryGetValue(p.Id, out var known)) return known == p.ChannelId ? null : Unknown();
        var applicant = await applicants.GetAsync(p.Id, ct).ConfigureAwait(false);
        // Only a self-registered applicant that confirmed its address ever gets an applicant token.
        if (applicant is null || applicant.Contact is null || applicant.Status == ApplicantStatus.PendingVerification || applicant.ChannelId != p.ChannelId) return Unknown();
        if (applicant.Status == ApplicantStatus.Disabled) return new Error(IdentityErrors.TokenRevoked, "this applicant's account is disabled");
        Put(_applicantChannels, p.Id, p.ChannelId);
        return null;
    }

    private async ValueTask<Error?> CheckChannelAsync(Principal p, CancellationToken ct)
    {
        if (p.ChannelId != p.Id || p.ApiKeyId == UInt128.Zero) return Unknown();
        if (_apiKeyChannels.TryGetValue(p.ApiKeyId, out var known)) return known == p.Id ? null : Unknown();
        // A missing channel has no keys: one read answers for both.
        var keys = await channels.ListApiKeysAsync(p.Id, ct).ConfigureAwait(false);
        var key = keys.FirstOrDefault(k => k.Id == p.ApiKeyId);
        if (key is null) return Unknown();
        // Revoked long ago (out of the revocation cache's window): no token of it can be live.
        if (key.IsRevoked) return new Error(IdentityErrors.TokenRevoked, "the API key behind this token was revoked");
        foreach (var k in keys.Where(k => !k.IsRevoked)) Put(_apiKeyChannels, k.Id, k.ChannelId);
        return null;
    }

    private async ValueTask<Error?> CheckOperatorAsync(Principal p, CancellationToken ct)
    {
        var op = await operators.GetAsync(p.Id, ct).ConfigureAwait(false);
        if (op is null) return Unknown();
        if (op.IsDisabled) return new Error(IdentityErrors.TokenRevoked, "this operator is disabled");
        if (p.Roles.Any(r => !op.Roles.Contains(r, StringComparer.Ordinal)))
        {
            return new Error(IdentityErrors.TokenRevoked, "the token claims a role this operator does not hold");
        }

        return null;
    }

    private static void Put(ConcurrentDictionary<UInt128, UInt128> map, UInt128 key, UInt128 value)
    {
        if (map.Count >= MaxRemembered) map.Clear();
        map[key] = value;
    }

    private static Error Unknown() => new(IdentityErrors.TokenSubjectUnknown, "the access token names an applicant, channel or operator this service does not know");
}
