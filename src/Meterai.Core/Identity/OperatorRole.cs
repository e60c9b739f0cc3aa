namespace Meterai.Core.Identity;

/// <summary>What an operator may do. Stable snake_case names: they travel in access tokens and the CLI takes them.</summary>
public static class OperatorRole
{
    /// <summary>Mints stamps, manages channels and their keys, records deposits, allocates quota.</summary>
    public const string IssuerAdmin = "issuer_admin";

    /// <summary>Reads everything (ledger, channels, stamps, audit), changes nothing.</summary>
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [IssuerAdmin, Auditor];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
