namespace Meterai.Core.Ledger;

/// <summary>The outcome of creating one account. Codes are stable snake_case (<see cref="CreateAccountResultCodes.Code"/>).</summary>
public enum CreateAccountResult
{
    Ok = 0,

    /// <summary>An account with this id and the same owner, code and limits exists: a harmless replay.</summary>
    Exists,

    /// <summary>An account with this id but another owner, code or limits exists.</summary>
    AccountIdReused,
    IdMustNotBeZero,
    FlagsInvalid,
    FlagsAreMutuallyExclusive,
    OwnerKindInvalid,
    CodeMustNotBeZero,
}

public static class CreateAccountResultCodes
{
    private static readonly Dictionary<CreateAccountResult, string> Codes = new()
    {
        [CreateAccountResult.Ok] = "ok",
        [CreateAccountResult.Exists] = "exists",
        [CreateAccountResult.AccountIdReused] = "account_id_reused",
        [CreateAccountResult.IdMustNotBeZero] = "id_must_not_be_zero",
        [CreateAccountResult.FlagsInvalid] = "flags_invalid",
        [CreateAccountResult.FlagsAreMutuallyExclusive] = "flags_are_mutually_exclusive",
        [CreateAccountResult.OwnerKindInvalid] = "owner_kind_invalid",
        [CreateAccountResult.CodeMustNotBeZero] = "code_must_not_be_zero",
    };

    public static string Code(this CreateAccountResult result) =>
        Codes.TryGetValue(result, out var code) ? code : throw new ArgumentOutOfRangeException(nameof(result), result, null);

    public static bool IsCommitted(this CreateAccountResult result) => result is CreateAccountResult.Ok or CreateAccountResult.Exists;
}

/// <summary>Error codes of ledger operations that are not per-transfer results.</summary>
public static class LedgerErrors
{
    public const string AccountNotFound = "account_not_found";
}
