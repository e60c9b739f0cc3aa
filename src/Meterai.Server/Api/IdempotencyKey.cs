namespace Meterai.Server.Api;

/// <summary>
/// The <c>Idempotency-Key</c> header every write carries: 1–100 printable ASCII characters chosen by the client
/// (a UUID is typical). The key is scoped to the caller: two callers may use the same key.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";
    public const string Missing = "idempotency_key_missing";
    public const string Invalid = "idempotency_key_invalid";
    public const string Reused = "idempotency_key_reused";
    public const int MaxLength = 100;

    /// <summary>The key, or the problem to answer with.</summary>
    public static (string? Key, IResult? Problem) Read(HttpRequest request)
    {
        var values = request.Headers[Header];
        if (values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            return (null, ApiProblem.Of(StatusCodes.Status400BadRequest, Missing, $"this request needs an {Header} header so that a retry is never applied twice"));
        }

        var key = values[0]!;
        if (values.Count > 1 || key.Length > MaxLength || key.Any(c => c is < '!' or > '~'))
        {
            return (null, ApiProblem.Of(StatusCodes.Status400BadRequest, Invalid, $"{Header} is one value of 1 to {MaxLength} printable ASCII characters without spaces"));
        }

        return (key, null);
    }
}
