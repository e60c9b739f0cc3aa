using System.Text.Json;
using System.Text.Json.Serialization;

namespace Meterai.Server.Api;

/// <summary>
/// The API's JSON: snake_case members and enum values, no nulls omitted (a member is always there). Strict on input
/// (issue 10, item 10c): a number is a JSON number (the web defaults also read <c>"3"</c> as 3), an enum is its name
/// (not its ordinal), and a member may appear once (with duplicates, which value counts depends on the parser, and a
/// proxy or a log reads another one than we do). A violation is 400 <c>invalid_json</c> naming the member.
/// </summary>
internal static class ApiJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.AllowDuplicateProperties = false;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
    }
}
