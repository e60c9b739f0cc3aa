using System.Globalization;
using Meterai.Core.Orders;
using Meterai.Core.Payments;
using Meterai.Payments.Gateway;

namespace Meterai.Server.Payments;

/// <summary>
/// Everything under <c>Payments:*</c> (environment: <c>METERAI_Payments__Provider__BaseUrl</c>, …). With nothing set the
/// server still starts: payments point at a local sandbox (`meterai paysim` on 127.0.0.1:5090 with its default key),
/// and the operator's health page says so.
/// </summary>
public sealed record PaymentsConfiguration(
    GatewayProviderOptions Gateway,
    bool SandboxDefaults,
    PaymentSettings Settings,
    bool ReconciliationEnabled)
{
    public const string Section = "Payments";
    public static readonly Uri LocalSandbox = new("http://127.0.0.1:5090/");

    public static PaymentsConfiguration Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var provider = section.GetSection("Provider");
        var baseUrl = provider["BaseUrl"];
        var serverKey = provider["ServerKey"];
        var sandbox = string.IsNullOrWhiteSpace(baseUrl);
        if (!sandbox && !Uri.TryCreate(baseUrl, UriKind.Absolute, out _)) throw Invalid("Provider:BaseUrl", baseUrl, "an absolute http(s) URL");
        if (!sandbox && string.IsNullOrEmpty(serverKey)) throw new InvalidOperationException("Payments:Provider:BaseUrl is set but Payments:Provider:ServerKey is empty");
        var gateway = new GatewayProviderOptions(sandbox ? LocalSandbox : new Uri(baseUrl!), string.IsNullOrEmpty(serverKey) ? "paysim-server-key" : serverKey)
        {
            Timeout = Seconds(provider, "TimeoutSeconds", 10),
        };

        var reconciliation = section.GetSection("Reconciliation");
        var challenges = section.GetSection("Challenges");
        var defaults = new PaymentSettings();
        var settings = defaults with
        {
            ProviderName = provider["Name"] is { Length: > 0 } name ? name : sandbox ? "paysim" : "gateway",
            DefaultServiceFee = new Rupiah(Long(section, "DefaultServiceFee", defaults.DefaultServiceFee.Value, min: 0)),
            MaxQuantity = (int)Long(section, "MaxQuantity", defaults.MaxQuantity, min: 1),
            OrderExpiry = Seconds(section, "OrderExpirySeconds", defaults.OrderExpiry.TotalSeconds),
            ChallengeTimeout = Seconds(section, "ChallengeTimeoutSeconds", defaults.ChallengeTimeout.TotalSeconds),
            PendingCheckAfter = Seconds(reconciliation, "PendingCheckAfterSeconds", defaults.PendingCheckAfter.TotalSeconds),
            CheckBackoffBase = Seconds(reconciliation, "BackoffBaseSeconds", defaults.CheckBackoffBase.TotalSeconds),
            CheckBackoffCap = Seconds(reconciliation, "BackoffCapSeconds", defaults.CheckBackoffCap.TotalSeconds),
            ExpiryGrace = Seconds(reconciliation, "ExpiryGraceSeconds", defaults.ExpiryGrace.TotalSeconds),
            ClaimLease = Seconds(reconciliation, "ClaimLeaseSeconds", defaults.ClaimLease.TotalSeconds),
            ReconcileInterval = Seconds(reconciliation, "IntervalSeconds", defaults.ReconcileInterval.TotalSeconds),
            SettlementInterval = Seconds(reconciliation, "SettlementIntervalSeconds", defaults.SettlementInterval.TotalSeconds),
            ReconcileConcurrency = (int)Long(reconciliation, "Concurrency", defaults.ReconcileConcurrency, min: 1),
            Challenges = new ChallengeLimits
            {
                PerOrderPerMinute = (int)Long(challenges, "PerOrderPerMinute", defaults.Challenges.PerOrderPerMinute, min: 1),
                PerClientPerMinute = (int)Long(challenges, "PerClientPerMinute", defaults.Challenges.PerClientPerMinute, min: 1),
            },
        };
        return new PaymentsConfiguration(gateway, sandbox, settings, reconciliation.GetValue("Enabled", true));
    }

    /// <summary>What the health page says about where payments go (never the key).</summary>
    public string ProviderNote => SandboxDefaults
        ? $"payments point at a local sandbox ({Gateway.BaseAddress}, `meterai paysim`) with its default key; set Payments:Provider:BaseUrl and Payments:Provider:ServerKey for a real gateway"
        : $"payments go to {Gateway.BaseAddress}";

    private static TimeSpan Seconds(IConfiguration section, string key, double fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromSeconds(fallback);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 && s <= 30 * 86_400
            ? TimeSpan.FromSeconds(s)
            : throw Invalid(key, text, "a number of seconds greater than 0");
    }

    private static long Long(IConfiguration section, string key, long fallback, long min)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min && v <= 1_000_000_000
            ? v
            : throw Invalid(key, text, $"a whole number of at least {min}");
    }

    private static InvalidOperationException Invalid(string key, string? value, string expected) =>
        new($"{Section}:{key} '{value}' is not {expected}");
}
