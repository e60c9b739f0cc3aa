namespace Meterai.Core.Ledger;

/// <summary>Who an account belongs to. Stored as a small integer; values never change.</summary>
public enum OwnerKind : short
{
    /// <summary>The platform's own bookkeeping accounts (minted, consumed, refunded): see <see cref="SystemAccounts"/>.</summary>
    System = 1,

    /// <summary>The stamp-duty issuer (the one who mints quota and sells it).</summary>
    Issuer = 2,

    /// <summary>A sales channel (reseller, integrator) holding prepaid quota.</summary>
    Channel = 3,

    /// <summary>A person or organisation that stamps documents.</summary>
    User = 4,
}

public static class OwnerKindExtensions
{
    public static bool IsDefined(this OwnerKind kind) => kind is >= OwnerKind.System and <= OwnerKind.User;
}
