using System.Collections.Concurrent;
using Meterai.Core.Identity;
using Meterai.Core.Serials;

namespace Meterai.Server.Api;

/// <summary>
/// The HTTP status of each error code. Each area registers its codes once at start-up
/// (<see cref="Register(int, string[])"/>); an unregistered code is a 400 (it came from bad input).
/// </summary>
public static class ErrorStatus
{
    private static readonly ConcurrentDictionary<string, int> Statuses = new(StringComparer.Ordinal);

    static ErrorStatus()
    {
        Register(StatusCodes.Status400BadRequest, IdentityErrors.ContactInvalid, IdentityErrors.PasswordTooWeak, IdentityErrors.RoleUnknown,
            IdentityErrors.ChannelCodeInvalid, IdentityErrors.ExternalRefInvalid, SerialErrors.InvalidLength, SerialErrors.InvalidCharacter,
            SerialErrors.InvalidCheckCharacter);
        Register(StatusCodes.Status401Unauthorized, IdentityErrors.InvalidCredentials, IdentityErrors.CodeInvalid, IdentityErrors.CodeExpired,
            IdentityErrors.CodeAlreadyUsed, IdentityErrors.ApiKeyInvalid, IdentityErrors.ApiKeyRevoked, IdentityErrors.TokenMissing,
            IdentityErrors.TokenMalformed, IdentityErrors.TokenSignatureInvalid, IdentityErrors.TokenExpired, IdentityErrors.TokenKeyUnknown,
            IdentityErrors.TokenRevoked);
        Register(StatusCodes.Status403Forbidden, IdentityErrors.Forbidden, IdentityErrors.ApplicantDisabled, IdentityErrors.ChannelSuspended);
        Register(StatusCodes.Status404NotFound, IdentityErrors.ChallengeNotFound, IdentityErrors.ApplicantNotFound, IdentityErrors.ChannelNotFound,
            IdentityErrors.ApiKeyNotFound, IdentityErrors.OperatorNotFound, SerialRegistryErrors.NotFound);
        Register(StatusCodes.Status409Conflict, IdentityErrors.ContactAlreadyRegistered, IdentityErrors.OperatorExists, IdentityErrors.ChannelCodeTaken,
            IdentityErrors.SigningKeyExists, "api_key_limit_reached");
        Register(StatusCodes.Status429TooManyRequests, IdentityErrors.TooManyAttempts, IdentityErrors.CodeAttemptsExhausted);
        Register(StatusCodes.Status503ServiceUnavailable, CodeDeliveryException.Code);
    }

    /// <summary>
    /// Says which status answers <paramref name="codes"/>. A code has one status everywhere, whichever area raises it:
    /// registering it again with another status throws at start-up (two areas once answered a reused Idempotency-Key
    /// with 409 and 422, and which one a client saw depended on the order the areas were registered in).
    /// </summary>
    public static void Register(int status, params string[] codes)
    {
        foreach (var code in codes)
        {
            var registered = Statuses.GetOrAdd(code, status);
            if (registered != status) throw new InvalidOperationException($"error code '{code}' is answered with {registered} already; it cannot also be {status}");
        }
    }

    public static int For(string code) => Statuses.TryGetValue(code, out var status) ? status : StatusCodes.Status400BadRequest;
}
