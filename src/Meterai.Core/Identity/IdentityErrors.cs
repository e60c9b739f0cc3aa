namespace Meterai.Core.Identity;

/// <summary>Stable error codes of identities and access (HTTP problem details carry them in <c>code</c>).</summary>
public static class IdentityErrors
{
    public const string ContactInvalid = "contact_invalid";
    public const string PasswordTooWeak = "password_too_weak";
    public const string ContactAlreadyRegistered = "contact_already_registered";
    public const string InvalidCredentials = "invalid_credentials";
    public const string TooManyAttempts = "too_many_attempts";
    public const string TooManyCodes = "too_many_codes";
    public const string ChallengeNotFound = "challenge_not_found";
    public const string CodeInvalid = "code_invalid";
    public const string CodeExpired = "code_expired";
    public const string CodeAttemptsExhausted = "code_attempts_exhausted";
    public const string CodeAlreadyUsed = "code_already_used";
    public const string ApplicantNotFound = "applicant_not_found";
    public const string ApplicantDisabled = "applicant_disabled";
    public const string OperatorExists = "operator_exists";
    public const string OperatorNotFound = "operator_not_found";
    public const string RoleUnknown = "role_unknown";
    public const string ApiKeyInvalid = "api_key_invalid";
    public const string ApiKeyRevoked = "api_key_revoked";
    public const string ApiKeyNotFound = "api_key_not_found";
    public const string ChannelNotFound = "channel_not_found";
    public const string ChannelSuspended = "channel_suspended";
    public const string ChannelCodeTaken = "channel_code_taken";
    public const string ChannelCodeInvalid = "channel_code_invalid";
    public const string ExternalRefInvalid = "external_ref_invalid";
    public const string SigningKeyExists = "signing_key_exists";

    // Access tokens (401 problems).
    public const string TokenMissing = "token_missing";
    public const string TokenMalformed = "token_malformed";
    public const string TokenSignatureInvalid = "token_signature_invalid";
    public const string TokenExpired = "token_expired";
    public const string TokenKeyUnknown = "token_key_unknown";
    public const string TokenRevoked = "token_revoked";
    public const string TokenLifetimeExceeded = "token_lifetime_exceeded";
    public const string TokenSubjectUnknown = "token_subject_unknown";
    public const string Forbidden = "forbidden";

    /// <summary>Every 401 an access token can be refused with: what an endpoint that needs one declares.</summary>
    public static readonly string[] TokenCodes =
    [
        TokenMissing, TokenMalformed, TokenExpired, TokenSignatureInvalid, TokenKeyUnknown, TokenRevoked, TokenLifetimeExceeded, TokenSubjectUnknown,
    ];
}
