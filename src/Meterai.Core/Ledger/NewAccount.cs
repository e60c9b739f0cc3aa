namespace Meterai.Core.Ledger;

/// <summary>An account to create. Balances always start at zero; <see cref="AccountFlags.Closed"/> is set only by closing.</summary>
/// <param name="Id">Client-chosen, non-zero; creating the same account twice returns <see cref="CreateAccountResult.Exists"/>.</param>
/// <param name="OwnerKind">Who owns it.</param>
/// <param name="OwnerId">The owner's id (the issuer, channel or user); zero for system accounts.</param>
/// <param name="Code">What it holds: an <see cref="AccountCode"/> value (non-zero).</param>
/// <param name="Flags">Limits (<see cref="AccountFlags.DebitsMustNotExceedCredits"/> for every quota holder).</param>
public sealed record NewAccount(UInt128 Id, OwnerKind OwnerKind, UInt128 OwnerId, int Code, AccountFlags Flags);
