using System.CommandLine;
using Meterai.Payments.Gateway;

namespace Meterai.Cli.Commands;

/// <summary>
/// The options of <c>meterai audit</c>'s live comparison with the payment provider: <c>--provider-url</c> turns it on;
/// the merchant's server key comes from <c>--provider-server-key-file</c>, <c>--provider-server-key</c> or, as the server
/// reads it, <c>METERAI_Payments__Provider__ServerKey</c> (a file keeps it out of the shell history and the process list).
/// </summary>
internal sealed class ProviderArguments
{
    public const string ServerKeyVariable = "METERAI_Payments__Provider__ServerKey";

    public Option<string?> Url { get; } = new("--provider-url")
    {
        Description = "also ask the payment provider's status API (the gateway the server charges, e.g. http://127.0.0.1:5090/) whether each order agrees with it",
    };

    public Option<string?> ServerKey { get; } = new("--provider-server-key") { Description = $"the merchant's server key (or --provider-server-key-file, or {ServerKeyVariable})" };

    public Option<string?> ServerKeyFile { get; } = new("--provider-server-key-file") { Description = "a file holding the merchant's server key" };

    public Option<bool> All { get; } = new("--provider-all")
    {
        Description = "ask about every order, also those whose final status (deny, cancel, expire, refund) the provider confirmed, which it cannot change",
    };

    public Option<int> Concurrency { get; } = new("--provider-concurrency") { Description = "status calls in flight at once (1-64)", DefaultValueFactory = _ => 8 };

    public Option<double> Timeout { get; } = new("--provider-timeout") { Description = "longest wait for one status call, in seconds", DefaultValueFactory = _ => 10 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Url, ServerKey, ServerKeyFile, All, Concurrency, Timeout }) command.Options.Add(option);
    }

    /// <summary>The gateway to ask (null when no --provider-url was given), or an error message for bad input.</summary>
    public (GatewayProviderOptions? Gateway, string? Error) Read(ParseResult parse)
    {
        var url = parse.GetValue(Url);
        var key = parse.GetValue(ServerKey);
        var keyFile = parse.GetValue(ServerKeyFile);
        if (url is null)
        {
            return key is null && keyFile is null ? (null, null) : (null, "--provider-server-key(-file) goes with --provider-url (the provider to ask)");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var baseAddress) || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            return (null, $"--provider-url '{url}' is not an http(s) address such as http://127.0.0.1:5090/");
        }

        if (key is not null && keyFile is not null) return (null, "give the server key once: --provider-server-key or --provider-server-key-file");
        if (keyFile is not null)
        {
            try
            {
                key = File.ReadAllText(keyFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"--provider-server-key-file: {e.Message}");
            }
        }

        key ??= Environment.GetEnvironmentVariable(ServerKeyVariable);
        if (string.IsNullOrEmpty(key)) return (null, $"--provider-url needs the merchant's server key: --provider-server-key-file FILE, --provider-server-key or {ServerKeyVariable}");
        var concurrency = parse.GetValue(Concurrency);
        if (concurrency is < 1 or > 64) return (null, "--provider-concurrency is a number from 1 to 64");
        var timeout = parse.GetValue(Timeout);
        if (!(timeout > 0 && timeout <= 300)) return (null, "--provider-timeout is a number of seconds greater than 0, at most 300");
        return (new GatewayProviderOptions(baseAddress, key) { Timeout = TimeSpan.FromSeconds(timeout) }, null);
    }
}
