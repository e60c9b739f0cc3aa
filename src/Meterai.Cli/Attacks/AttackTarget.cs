using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Meterai.Cli.Attacks;

/// <summary>
/// The live server an attack set runs against, and what the runner may use to set the scene: an issuer admin's
/// credentials (to create channels and mint quota, as the issuer would), and optionally the one-time codes the server
/// sends (a test's recording sender, or the development outbox file) and the node's data folder (for the
/// "someone reads the data folder" attacker). Attacks needing what is absent answer Skipped.
/// </summary>
public sealed class AttackTarget(Uri baseAddress, OperatorCredentials issuerAdmin, IOneTimeCodeSource? codes = null, string? dataDirectory = null) : IDisposable
{
    private string? adminToken;

    public Uri BaseAddress { get; } = baseAddress;

    /// <summary>A fresh client per call keeps one attack's connections (say, slow uploads) from another's.</summary>
    public HttpClient Http { get; } = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(100) };

    public OperatorCredentials IssuerAdmin { get; } = issuerAdmin;

    public IOneTimeCodeSource? Codes { get; } = codes;

    /// <summary>The node's data folder when the runner sits on the node (null otherwise).</summary>
    public string? DataDirectory { get; } = dataDirectory;

    /// <summary>
    /// The sandbox payment provider the server charges (`meterai paysim`), when the runner can reach it: paying an order
    /// there is how an attacker without the provider's key comes by a genuinely signed notification. Null: the attacks
    /// that need one answer Skipped.
    /// </summary>
    public Uri? PaymentSandbox { get; set; }

    public HttpClient NewClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };

    /// <summary>
    /// Knobs of the attacks (<c>meterai attack --set key=value</c>), each documented on its attack: e.g.
    /// <c>slow-uploads=140</c> against a node with the default Stamping:MaxInFlight of 128.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public int Setting(string key, int fallback) =>
        Settings.TryGetValue(key, out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : fallback;

    public async Task<string> IssuerAdminTokenAsync(CancellationToken ct)
    {
        if (adminToken is not null) return adminToken;
        var login = await SendJsonAsync(HttpMethod.Post, "/api/v1/auth/operator/login", new { email = IssuerAdmin.Email, password = IssuerAdmin.Password }, null, null, ct);
        adminToken = login.Require(HttpStatusCode.OK, "operator login").GetProperty("access_token").GetString()!;
        return adminToken;
    }

    /// <summary>Registers an applicant and completes its code (needs <see cref="Codes"/>).</summary>
    public async Task<AttackApplicant> NewApplicantAsync(CancellationToken ct, string? contact = null, string password = "kata-sandi-serangan-1")
    {
        if (Codes is null) throw new AttackSkipped("no access to the server's one-time codes (--codes-file)");
        contact ??= $"attack.{Guid.NewGuid():N}@contoh.id";
        var sent = (await SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact, password }, null, null, ct)).Require(HttpStatusCode.Created, "registration", HttpStatusCode.OK, HttpStatusCode.Accepted);
        var code = await Codes.LatestCodeAsync(contact.ToLowerInvariant(), ct) ?? throw new AttackSetupFailed($"no code was sent to {contact}");
        var token = (await SendJsonAsync(HttpMethod.Post, "/api/v1/auth/applicant/code", new { challenge_id = sent.GetProperty("challenge_id").GetString(), code }, null, null, ct))
            .Require(HttpStatusCode.OK, "registration code");
        var principal = token.GetProperty("principal");
        return new AttackApplicant(principal.GetProperty("id").GetString()!, contact, password, token.GetProperty("access_token").GetString()!);
    }

    /// <summary>Creates a channel, gives it an API key and a token (as the issuer admin would set up a reseller).</summary>
    public async Task<AttackChannel> NewChannelAsync(CancellationToken ct)
    {
        var admin = await IssuerAdminTokenAsync(ct);
        var code = "atk" + Guid.NewGuid().ToString("N")[..12];
        var channel = (await SendJsonAsync(HttpMethod.Post, "/api/v1/channels", new { code, name = "Attack channel " + code, service_fee = 0 }, admin, null, ct))
            .Require(HttpStatusCode.Created, "channel");
        var id = channel.GetProperty("id").GetString()!;
        var key = (await SendJsonAsync(HttpMethod.Post, $"/api/v1/channels/{id}/api-keys", new { name = "attack" }, admin, null, ct)).Require(HttpStatusCode.Created, "api key", HttpStatusCode.OK);
        var apiKey = key.GetProperty("key").GetString()!;
        var token = (await SendJsonAsync(HttpMethod.Post, "/api/v1/auth/channel/token", new { api_key = apiKey }, null, null, ct)).Require(HttpStatusCode.OK, "channel token");
        return new AttackChannel(id, apiKey, token.GetProperty("access_token").GetString()!);
    }

    /// <summary>Mints <paramref name="stamps"/> and sells them to a self-registered applicant (issuer admin).</summary>
    public async Task GiveQuotaAsync(string applicantId, long stamps, CancellationToken ct)
    {
        var admin = await IssuerAdminTokenAsync(ct);
        (await SendJsonAsync(HttpMethod.Post, "/api/v1/issuer/mint", new { stamps }, admin, Guid.NewGuid().ToString("N"), ct)).Require(HttpStatusCode.OK, "mint", HttpStatusCode.Created);
        (await SendJsonAsync(HttpMethod.Post, $"/api/v1/applicants/{applicantId}/quota", new { stamps }, admin, Guid.NewGuid().ToString("N"), ct))
            .Require(HttpStatusCode.OK, "quota", HttpStatusCode.Created);
    }

    public async Task<HttpAnswer> SendJsonAsync(HttpMethod method, string path, object? body, string? token, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await SendAsync(request, token, idempotencyKey, ct);
    }

    public async Task<HttpAnswer> SendAsync(HttpRequestMessage request, string? token, string? idempotencyKey, CancellationToken ct)
    {
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await Http.SendAsync(request, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var headers = response.Headers.Concat(response.Content.Headers).ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new HttpAnswer(response.StatusCode, headers, bytes);
    }

    public void Dispose() => Http.Dispose();
}

public sealed record OperatorCredentials(string Email, string Password);

public sealed record AttackApplicant(string Id, string Contact, string Password, string Token);

public sealed record AttackChannel(string Id, string ApiKey, string Token);

/// <summary>Thrown by a set-up step an attack cannot do against this target; the run records the attack as Skipped.</summary>
public sealed class AttackSkipped(string why) : Exception(why);

/// <summary>
/// Thrown when the scene could not be set (the server refused a set-up step, the sandbox notified someone else): the
/// attack was not tried, so it is neither held nor breached; the run records it as Skipped with the reason, and the
/// suite, which requires every attack Held, still fails.
/// </summary>
public sealed class AttackSetupFailed(string why) : Exception(why);

/// <summary>Where the runner reads the one-time codes the server sent (the attack set needs accounts it controls).</summary>
public interface IOneTimeCodeSource
{
    Task<string?> LatestCodeAsync(string contact, CancellationToken ct);
}

/// <summary>An answer, read whole.</summary>
public sealed record HttpAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public int Code => (int)Status;

    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>The problem's `code` member, or null when the answer is not a problem.</summary>
    public string? ProblemCode
    {
        get
        {
            try
            {
                return JsonDocument.Parse(Body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>The JSON body when the status is one of <paramref name="expected"/>; else the set-up failed (not the attack).</summary>
    public JsonElement Require(HttpStatusCode expected, string step, params HttpStatusCode[] alsoFine)
    {
        if (Status != expected && !alsoFine.Contains(Status)) throw new AttackSetupFailed($"set-up step '{step}' answered {Code}: {Truncate(Text)}");
        return Json;
    }

    public override string ToString() => $"{Code} {ProblemCode ?? Describe()}";

    /// <summary>Text answers as text (cut short); anything else (a stamped PDF) by its type and size, not its bytes.</summary>
    private string Describe()
    {
        var type = Headers.TryGetValue("Content-Type", out var t) ? t : "";
        var textual = type.Length == 0 || type.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || type.Contains("json", StringComparison.OrdinalIgnoreCase);
        return textual ? Truncate(Text) : $"{type}, {Body.Length} bytes";
    }

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";
}
