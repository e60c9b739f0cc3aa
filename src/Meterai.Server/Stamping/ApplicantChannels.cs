using System.Collections.Concurrent;
using Meterai.Core.Identity;

namespace Meterai.Server.Stamping;

/// <summary>
/// Which channel an applicant belongs to, remembered: a reseller stamps for the same applicants over and over, and an
/// applicant's channel is fixed when it is created and never changes, so only the first stamp needs the database.
/// Unknown applicants are not remembered (they may be created a moment later). Bounded: when full it starts over.
/// </summary>
public sealed class ApplicantChannels(IApplicantStore applicants)
{
    private const int Capacity = 200_000;
    private readonly ConcurrentDictionary<UInt128, UInt128> _channels = new();

    /// <summary>The applicant's channel, or null when there is no such applicant.</summary>
    public async Task<UInt128?> ChannelOfAsync(UInt128 applicantId, CancellationToken ct)
    {
        if (_channels.TryGetValue(applicantId, out var known)) return known;
        var applicant = await applicants.GetAsync(applicantId, ct);
        if (applicant is null) return null;
        if (_channels.Count >= Capacity) _channels.Clear();
        _channels[applicantId] = applicant.ChannelId;
        return applicant.ChannelId;
    }
}
