using Meterai.Core.Common;
using Meterai.PaySim.Faults;

namespace Meterai.PaySim;

/// <summary>Everything the sandbox is started with (the `meterai paysim` flags map onto these one to one).</summary>
public sealed class PaySimOptions
{
    public const string DefaultUrl = "http://127.0.0.1:5090";
    public const string DefaultMerchantId = "M-PAYSIM";
    public const string DefaultServerKey = "paysim-server-key";

    /// <summary>Where Kestrel listens; "http://127.0.0.1:0" picks a free port (tests).</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>The sandbox's own folder: paysim.db (WAL) lives here and survives restarts.</summary>
    public required string DataDirectory { get; set; }

    public string MerchantId { get; set; } = DefaultMerchantId;

    /// <summary>The merchant's server key: Basic-auth user name for the API and the secret in notification signatures.</summary>
    public string ServerKey { get; set; } = DefaultServerKey;

    /// <summary>Where notifications are POSTed; null keeps the stored URL (notifications wait in the outbox while there is none).</summary>
    public string? NotifyUrl { get; set; }

    /// <summary>Seeds every fault decision, retry jitter and transaction id: the same seed and the same orders replay the same run.</summary>
    public long Seed { get; set; } = 1;

    public FaultSettings Faults { get; set; } = new();

    /// <summary>A notification not answered within this long counts as failed and is retried.</summary>
    public TimeSpan NotificationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First retry after about this long; each further one waits twice as long…</summary>
    public TimeSpan RetryBase { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>…up to this long between attempts. There is no last attempt: a notification goes out until a 2xx.</summary>
    public TimeSpan RetryCap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Copies of a duplicated notification go out this far apart.</summary>
    public TimeSpan DuplicateSpacing { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the outbox is looked at when nothing woke the worker (it is woken on every new notification).</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public int MaxConcurrentDeliveries { get; set; } = 32;

    /// <summary>How often pending transactions past their expiry are expired.</summary>
    public TimeSpan ExpirySweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IClock Clock { get; set; } = SystemClock.Instance;

    /// <summary>Null when the options make sense, else what is wrong.</summary>
    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory)) return "a data folder is required";
        if (string.IsNullOrEmpty(ServerKey) || ServerKey.Contains(':')) return "the server key must be non-empty and hold no ':' (it is the Basic-auth user name)";
        if (string.IsNullOrWhiteSpace(MerchantId)) return "the merchant id must not be empty";
        if (NotifyUrl is not null && !IsHttpUrl(NotifyUrl)) return $"notify URL {NotifyUrl} is not an absolute http(s) URL";
        if (NotificationTimeout <= TimeSpan.Zero || RetryBase <= TimeSpan.Zero || RetryCap < RetryBase) return "timeouts and retry intervals must be positive (cap ≥ base)";
        if (MaxConcurrentDeliveries < 1) return "at least one delivery must be allowed at a time";
        return Faults.Validate();
    }

    internal static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
