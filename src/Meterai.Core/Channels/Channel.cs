using System.Text.RegularExpressions;
using Meterai.Core.Common;
using Meterai.Core.Identity;

namespace Meterai.Core.Channels;

/// <summary>Where a channel stands. Stored as a small integer; values never change.</summary>
public enum ChannelStatus : short
{
    Active = 1,

    /// <summary>Cannot exchange keys for tokens; its tokens stop working within seconds; its data stays.</summary>
    Suspended = 2,
}

/// <summary>
/// A sales channel (reseller, integrator). It pays deposits to the issuer, receives quota allocated against them
/// at <see cref="PricePerStamp"/>, sells it to its applicants and stamps for them with its API keys.
/// </summary>
/// <param name="Code">Short unique name chosen by the issuer ([a-z0-9-], 3–40 characters).</param>
/// <param name="ServiceFee">The channel's fee per stamp on top of the duty, in Rupiah, set by the issuer admin.</param>
public sealed partial record Channel(UInt128 Id, string Code, string Name, long ServiceFee, ChannelStatus Status, DateTimeOffset CreatedAt)
{
    /// <summary>
    /// The issuer's own sales (applicants who register themselves and buy directly): a channel row that always exists,
    /// so that every applicant and every serial names a channel.
    /// </summary>
    public static readonly UInt128 DirectId = 1;

    public const string DirectCode = "direct";

    /// <summary>The duty itself: Rp10.000 per e-Meterai.</summary>
    public const long FaceValue = 10_000;

    public const long MaxServiceFee = 1_000_000;

    /// <summary>What one stamp costs the channel (and what a deposit is counted against): duty plus service fee.</summary>
    public long PricePerStamp => FaceValue + ServiceFee;

    public bool IsActive => Status == ChannelStatus.Active;

    public static Error? ValidateCode(string? code) =>
        code is not null && CodePattern().IsMatch(code) ? null : new Error(IdentityErrors.ChannelCodeInvalid, "a channel code has 3 to 40 characters: a-z, 0-9 and dashes");

    public static Error? ValidateServiceFee(long fee) =>
        fee is >= 0 and <= MaxServiceFee ? null : new Error("service_fee_invalid", $"the service fee is between 0 and {MaxServiceFee} Rupiah");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")]
    private static partial Regex CodePattern();
}

/// <summary>Decisions shared by both channel stores.</summary>
public static class ChannelRules
{
    /// <summary>A create request that found the code taken is a retry of the same request when name and fee match.</summary>
    public static bool SameRequest(Channel stored, Channel requested) =>
        stored.Code == requested.Code && stored.Name == requested.Name && stored.ServiceFee == requested.ServiceFee;
}
