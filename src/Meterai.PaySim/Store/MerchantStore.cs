using Microsoft.Data.Sqlite;

namespace Meterai.PaySim.Store;

/// <summary>A merchant of the sandbox: who may call the API (its server key) and where its notifications go.</summary>
public sealed record Merchant(string MerchantId, string ServerKey, string NotifyUrl);

internal sealed class MerchantStore(PaySimDatabase db)
{
    /// <summary>Creates or updates the merchant the CLI flags describe; an existing notify URL is kept when none is given.</summary>
    public Task UpsertAsync(string merchantId, string serverKey, string? notifyUrl) =>
        db.WriteAsync((c, t) => c.Execute(t,
            """
            INSERT INTO merchants (merchant_id, server_key, notify_url) VALUES ($id, $key, COALESCE($url, ''))
            ON CONFLICT (merchant_id) DO UPDATE SET server_key = excluded.server_key,
                notify_url = COALESCE($url, merchants.notify_url)
            """,
            ("$id", merchantId), ("$key", serverKey), ("$url", notifyUrl)));

    public Task<int> SetNotifyUrlAsync(string merchantId, string notifyUrl) =>
        db.WriteAsync((c, t) => c.Execute(t, "UPDATE merchants SET notify_url = $url WHERE merchant_id = $id", ("$id", merchantId), ("$url", notifyUrl)));

    public Merchant? FindByServerKey(string serverKey)
    {
        using var c = db.Open();
        return c.Query(null, "SELECT merchant_id, server_key, notify_url FROM merchants WHERE server_key = $key", Read, ("$key", serverKey)).FirstOrDefault();
    }

    public Merchant? Get(string merchantId)
    {
        using var c = db.Open();
        return Get(c, null, merchantId);
    }

    internal static Merchant? Get(SqliteConnection c, SqliteTransaction? t, string merchantId) =>
        c.Query(t, "SELECT merchant_id, server_key, notify_url FROM merchants WHERE merchant_id = $id", Read, ("$id", merchantId)).FirstOrDefault();

    private static Merchant Read(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2));
}
