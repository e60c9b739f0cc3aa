using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Meterai.Server.Stamping;

/// <summary>
/// The address people reach this service at: the base of every stamp's verify URL (<c>{base}/v/{serial}</c>, the QR
/// code's payload and /ContactInfo) and of the links in answers. <c>Stamping:PublicBaseUrl</c> (an absolute http or
/// https URL, no query or fragment); Production refuses to start without it, because a QR code printed with a wrong
/// address cannot be corrected afterwards. In Development without it, the address the server actually listens on
/// (known once Kestrel has bound, so <c>--urls http://127.0.0.1:0</c> gives the port it got).
/// </summary>
public sealed class PublicAddress
{
    public const string Setting = "Stamping:PublicBaseUrl";

    private readonly string? _configured;
    private readonly IServer _server;
    private string? _listening;

    /// <param name="configured">The checked setting (<see cref="Read"/>), or null to use the listening address.</param>
    public PublicAddress(string? configured, IServer server)
    {
        _configured = configured;
        _server = server;
    }

    /// <summary>The base URL without a trailing slash.</summary>
    /// <exception cref="InvalidOperationException">In Development without the setting, before the server listens.</exception>
    public string BaseUrl => _configured ?? (_listening ??= Listening()) ?? throw new InvalidOperationException(
        $"{Setting} is not set and the server is not listening yet, so the verify address is not known");

    /// <summary>Whether the base URL comes from the setting (not from the listening address).</summary>
    public bool IsConfigured => _configured is not null;

    /// <summary>
    /// Reads and checks the setting at start: the base URL, or null in Development without one; refuses to start (with
    /// why) on a bad value, or without one outside Development.
    /// </summary>
    public static string? Read(IConfiguration configuration, IHostEnvironment environment)
    {
        var text = configuration[Setting];
        if (!string.IsNullOrWhiteSpace(text)) return Check(text);
        if (environment.IsDevelopment()) return null;
        throw new InvalidOperationException(
            $"{environment.EnvironmentName} needs {Setting} (METERAI_Stamping__PublicBaseUrl), the address people reach this service at, " +
            "such as https://meterai.example.id: every stamp's QR code points there. Only the Development environment uses the address it listens on.");
    }

    /// <summary>The base URL the setting gives, checked; refuses anything a QR code should not point at.</summary>
    public static string Check(string text)
    {
        text = text.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || string.IsNullOrEmpty(url.Host))
        {
            throw new InvalidOperationException($"{Setting} '{text}' is not an absolute http or https URL such as https://meterai.example.id");
        }

        if (url.Query.Length > 0 || url.Fragment.Length > 0 || text.Contains('?') || text.Contains('#'))
        {
            throw new InvalidOperationException($"{Setting} '{text}' has a query or fragment: the verify URL is {{base}}/v/{{serial}}, so the base is a plain address");
        }

        if (url.UserInfo.Length > 0) throw new InvalidOperationException($"{Setting} '{text}' carries a user name or password");
        return url.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    private string? Listening()
    {
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ?? addresses?.FirstOrDefault();
        if (first is null || !Uri.TryCreate(first.Replace("://+", "://0.0.0.0").Replace("://*", "://0.0.0.0"), UriKind.Absolute, out var url) || url.Port == 0) return null;
        // Listening on every interface: the loopback one is the address this machine certainly answers on.
        var host = url.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" => "[::1]",
            _ => url.Host,
        };
        return $"{url.Scheme}://{host}:{url.Port}";
    }
}
