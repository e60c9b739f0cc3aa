namespace Meterai.Core.Identity;

/// <summary>Who is calling: the three kinds of identity an access token can carry. The wire names never change.</summary>
public enum PrincipalKind
{
    /// <summary>A person who stamps documents (self-registered, or created by a channel for its customer).</summary>
    Applicant = 1,

    /// <summary>A reseller or integrator, calling with an access token exchanged for one of its API keys.</summary>
    Channel = 2,

    /// <summary>Staff of the issuer: issuer admins and auditors.</summary>
    Operator = 3,
}

public static class PrincipalKindNames
{
    public static string Name(this PrincipalKind kind) => kind switch
    {
        PrincipalKind.Applicant => "applicant",
        PrincipalKind.Channel => "channel",
        PrincipalKind.Operator => "operator",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static PrincipalKind? Parse(string? name) => name switch
    {
        "applicant" => PrincipalKind.Applicant,
        "channel" => PrincipalKind.Channel,
        "operator" => PrincipalKind.Operator,
        _ => null,
    };
}
