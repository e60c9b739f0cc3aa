using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>
/// A result that may say how long the caller must wait before trying again (a limit or a login delay refused it):
/// the HTTP layer answers it with 429 and Retry-After.
/// </summary>
public readonly record struct Limited<T>(Result<T> Result, TimeSpan? RetryAfter = null)
{
    public static implicit operator Limited<T>(Result<T> result) => new(result);

    public static implicit operator Limited<T>(Error error) => new(error);

    public static implicit operator Limited<T>(T value) => new(value);
}
