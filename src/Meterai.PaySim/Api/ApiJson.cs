using System.Text;
using System.Text.Json;
using Meterai.Core.Common;
using Meterai.Core.Payments;
using Meterai.PaySim.Transactions;
using Microsoft.AspNetCore.Http;

namespace Meterai.PaySim.Api;

/// <summary>JSON in and out for the sandbox's endpoints: fixed member order on the way out, strict reading on the way in.</summary>
internal static class ApiJson
{
    public const string InvalidRequest = "invalid_request";
    public const string Unauthorized = "unauthorized";

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static IResult Write(int statusCode, Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonWriting.Options))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }

        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json", Encoding.UTF8, statusCode);
    }

    public static IResult Error(Error error) => Error(StatusFor(error.Code), error);

    public static IResult Error(int statusCode, Error error) => Write(statusCode, json =>
    {
        json.WriteString("code", error.Code);
        json.WriteString("message", error.Message);
    });

    public static IResult BadRequest(string message) => Error(400, new Error(InvalidRequest, message));

    public static int StatusFor(string code) => code switch
    {
        PaymentErrors.TransactionNotFound => 404,
        PaymentErrors.OrderIdConflict or PaymentErrors.RefundNotAllowed or PaymentErrors.RefundExceedsAmount or PaymentErrors.RefundKeyConflict
            or PaymentErrors.TransactionExpired or PaymentErrors.TransactionNotPending => 409,
        Unauthorized => 401,
        PaymentErrors.ProviderUnavailable => 503,
        _ => 400,
    };

    /// <summary>The request body as one JSON object, or a 400 to send back.</summary>
    public static async Task<(JsonElement Body, IResult? Problem)> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 8 }, request.HttpContext.RequestAborted);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                ? (doc.RootElement.Clone(), null)
                : (default, BadRequest("the body must be a JSON object"));
        }
        catch (JsonException e)
        {
            return (default, BadRequest("the body is not JSON: " + e.Message));
        }
    }

    /// <summary>A string member, null when absent; a problem when present with another JSON type (amounts are strings here).</summary>
    public static (string? Value, IResult? Problem) String(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return (null, null);
        return v.ValueKind == JsonValueKind.String ? (v.GetString(), null) : (null, BadRequest($"\"{name}\" must be a string"));
    }
}
