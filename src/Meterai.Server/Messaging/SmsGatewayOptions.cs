namespace Meterai.Server.Messaging;

/// <summary>
/// <c>Messaging:Sms:*</c>: <c>Url</c> (turns the SMS gateway on: the gateway's send endpoint, POSTed a JSON body
/// <c>{"to": "+628…", "message": "…", "sender": "…"}</c>), <c>ApiKeyHeader</c> (<c>X-Api-Key</c>), <c>ApiKey</c> or
/// <c>ApiKeyFile</c>, <c>Sender</c> (the sender name the gateway shows, optional), <c>TimeoutSeconds</c> (10). Any
/// 2xx answer is delivery accepted; anything else, or no answer, is a failure.
/// </summary>
public sealed record SmsGatewayOptions(Uri Url, string ApiKeyHeader, string? ApiKey, string? Sender, TimeSpan Timeout)
{
    public static SmsGatewayOptions? Read(IConfiguration configuration)
    {
        var s = configuration.GetSection("Messaging:Sms");
        if (s["Url"] is not { Length: > 0 } text) return null;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"Messaging:Sms:Url '{text}' is not an http(s) URL");
        }

        var key = s["ApiKey"] ?? (s["ApiKeyFile"] is { Length: > 0 } file ? File.ReadAllText(file).Trim() : null);
        return new SmsGatewayOptions(url, s["ApiKeyHeader"] is { Length: > 0 } h ? h : "X-Api-Key", key, s["Sender"] is { Length: > 0 } n ? n : null,
            TimeSpan.FromSeconds(s.GetValue("TimeoutSeconds", 10.0)));
    }
}
