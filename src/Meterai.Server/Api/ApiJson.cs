using System.Text.Json;
using System.Text.Json.Serialization;

namespace Meterai.Server.Api;

/// <summary>The API's JSON: snake_case members and enum values, no nulls omitted (a member is always there).</summary>
internal static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }
}
