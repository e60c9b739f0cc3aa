using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai payments recheck --url http://127.0.0.1:5080 --operator-email … (--broken | --order ID …)`: asks a running
/// server (its operator API, POST /api/v1/operator/payments/rechecks, as an issuer admin) to recheck orders with the
/// provider's status API and apply the answers: the named ones (say, those `meterai audit --provider-url` found), or
/// with --broken every order the audit's orders_agree_with_provider and paid_orders_credited flag, pass after pass until
/// none is left or a pass repairs nothing. Each recheck is the server's one transaction under the order's lock, so this
/// is safe to run from anywhere, twice, or while the server's nodes reconcile. Exit 0 when every order was rechecked
/// (and, with --broken, none is flagged any more), 1 when some could not be or stay flagged, 2 on bad input or a server
/// that refused the login.
/// </summary>
internal static class PaymentsCommand
{
    public const string PasswordVariable = "METERAI_OPERATOR_PASSWORD";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var payments = new Command("payments", "the payments side of a running server");
        payments.Subcommands.Add(Recheck());
        return payments;
    }

    private static Command Recheck()
    {
        var url = new Option<string>("--url") { Description = "the server's base address", DefaultValueFactory = _ => "http://127.0.0.1:5080" };
        var email = new Option<string?>("--operator-email") { Description = "an issuer admin's e-mail" };
        var password = new Option<string?>("--operator-password") { Description = $"that operator's password (or {PasswordVariable})" };
        var broken = new Option<bool>("--broken") { Description = "every order the audit's orders_agree_with_provider and paid_orders_credited flag" };
        var orders = new Option<string[]>("--order") { Description = "order ids to recheck", AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int>("--limit") { Description = "orders per pass (1-500)", DefaultValueFactory = _ => 100 };
        var command = new Command("recheck", "recheck orders with the provider's status API through a running server and apply its answers")
        {
            url, email, password, broken, orders, limit,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var ids = parse.GetValue(orders) ?? [];
            var all = parse.GetValue(broken);
            var perPass = parse.GetValue(limit);
            string? bad = null;
            if (all == ids.Length > 0) bad = "give --broken or --order ID …, one of the two";
            else if (ids.Length > 500) bad = "at most 500 --order ids at a time";
            else if (perPass is < 1 or > 500) bad = "--limit is a number from 1 to 500";
            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseAddress) || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
            {
                bad ??= $"--url '{parse.GetValue(url)}' is not an http(s) address such as http://127.0.0.1:5080";
            }

            var operatorEmail = parse.GetValue(email);
            var operatorPassword = parse.GetValue(password) ?? Environment.GetEnvironmentVariable(PasswordVariable);
            if (string.IsNullOrEmpty(operatorEmail) || string.IsNullOrEmpty(operatorPassword)) bad ??= $"--operator-email and --operator-password (or {PasswordVariable}) name an issuer admin";
            if (bad is not null)
            {
                await error.WriteLineAsync($"error: {bad}");
                return 2;
            }

            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
            try
            {
                var token = await LoginAsync(http, operatorEmail!, operatorPassword!, ct);
                if (token is null)
                {
                    await error.WriteLineAsync("error: the server refused the operator's login");
                    return 2;
                }

                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return all ? await RecheckBrokenAsync(http, perPass, output, error, ct) : await RecheckNamedAsync(http, ids, output, error, ct);
            }
            catch (HttpRequestException e)
            {
                await error.WriteLineAsync($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    private static async Task<int> RecheckNamedAsync(HttpClient http, string[] ids, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var answer = await PostAsync(http, new { order_ids = ids }, error, ct);
        if (answer is null) return 2;
        var failed = await WriteAsync(answer.Rechecked, output);
        await output.WriteLineAsync(failed == 0 ? $"{answer.Rechecked.Count} orders rechecked" : $"{answer.Rechecked.Count - failed} orders rechecked, {failed} could not be");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Pass after pass: each rechecks the flagged orders (up to the limit) and says which stay flagged.</summary>
    private static async Task<int> RecheckBrokenAsync(HttpClient http, int perPass, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var total = 0;
        for (var pass = 0; pass < 10_000; pass++)
        {
            var answer = await PostAsync(http, new { broken = true, limit = perPass }, error, ct);
            if (answer is null) return 2;
            await WriteAsync(answer.Rechecked, output);
            total += answer.Rechecked.Count;
            var still = answer.StillBroken ?? [];
            if (still.Count == 0)
            {
                await output.WriteLineAsync(total == 0 ? "no order is flagged: nothing to recheck" : $"{total} rechecks; no order is flagged any more");
                return 0;
            }

            // No pass repaired anything: the rest needs an operator (the provider is down, or a repair is not possible).
            if (still.Count >= answer.Rechecked.Count && still.ToHashSet().SetEquals(answer.Rechecked.Select(r => r.OrderId)))
            {
                await output.WriteLineAsync($"{still.Count} orders are still flagged after their recheck: {string.Join(", ", still)}");
                return 1;
            }
        }

        await output.WriteLineAsync("orders are still flagged after 10000 passes");
        return 1;
    }

    /// <summary>Writes one line per order; returns how many could not be rechecked.</summary>
    private static async Task<int> WriteAsync(IReadOnlyList<RecheckItem> items, TextWriter output)
    {
        foreach (var r in items)
        {
            await output.WriteLineAsync(r.Code is null
                ? $"{r.OrderId}  {r.Before} → {r.After}"
                : $"{r.OrderId}  not rechecked: {r.Code}: {r.Message}");
        }

        return items.Count(r => r.Code is not null);
    }

    private static async Task<string?> LoginAsync(HttpClient http, string email, string password, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/auth/operator/login", new { email, password }, ct);
        if (!response.IsSuccessStatusCode) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return body.RootElement.GetProperty("access_token").GetString();
    }

    private static async Task<RecheckAnswer?> PostAsync(HttpClient http, object body, TextWriter error, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/operator/payments/rechecks", body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.IsSuccessStatusCode) return JsonSerializer.Deserialize<RecheckAnswer>(text, Json);
        await error.WriteLineAsync($"error: the server answered {(int)response.StatusCode}: {text}");
        return null;
    }

    private sealed record RecheckItem(string OrderId, string? Before, string? After, string? Code, string? Message);

    private sealed record RecheckAnswer(IReadOnlyList<RecheckItem> Rechecked, IReadOnlyList<string>? StillBroken);
}
