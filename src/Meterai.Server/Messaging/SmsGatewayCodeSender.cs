using System.Net.Http.Json;
using Meterai.Core.Identity;

namespace Meterai.Server.Messaging;

/// <summary>Sends codes and notices to mobile numbers through an HTTP SMS gateway (<see cref="SmsGatewayOptions"/>).</summary>
internal sealed class SmsGatewayCodeSender(SmsGatewayOptions options, ILogger<SmsGatewayCodeSender> logger) : TextMessageSender, IDisposable
{
    private readonly HttpClient _http = new() { Timeout = options.Timeout };

    protected override async Task SendTextAsync(ContactAddress to, MessageText text, CancellationToken ct)
    {
        if (to.Kind != ContactKind.Phone) throw new CodeDeliveryException("the SMS sender got an e-mail address");
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url)
        {
            Content = JsonContent.Create(new SmsRequest(to.Value, text.Body, options.Sender), SmsJson.Default.SmsRequest),
        };
        if (options.ApiKey is { } key) request.Headers.TryAddWithoutValidation(options.ApiKeyHeader, key);
        string why;
        try
        {
            using var response = await _http.SendAsync(request, ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return;
            why = $"answered {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            why = e is TaskCanceledException ? $"did not answer within {options.Timeout.TotalSeconds:0.#} s" : $"could not be reached ({e.Message})";
        }

        logger.LogWarning("SMS to {to} through {gateway} failed: the gateway {why}", to.Masked(), options.Url.GetLeftPart(UriPartial.Path), why);
        throw new CodeDeliveryException($"the SMS gateway {why}");
    }

    public void Dispose() => _http.Dispose();

    internal sealed record SmsRequest(string To, string Message, string? Sender);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(SmsGatewayCodeSender.SmsRequest))]
internal sealed partial class SmsJson : System.Text.Json.Serialization.JsonSerializerContext;
