using System.Globalization;

namespace Meterai.PaySim.Transactions;

/// <summary>
/// Virtual account numbers: a five-digit prefix per bank (the sandbox's own, not any bank's real range) and the
/// transaction's sequence number, 16 digits in all, so every VA the sandbox ever issued is distinct.
/// </summary>
public static class VirtualAccounts
{
    public const string DefaultBank = "bca";

    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["bca"] = "39001",
        ["bni"] = "39002",
        ["bri"] = "39003",
        ["mandiri"] = "39004",
        ["permata"] = "39005",
    };

    public static IEnumerable<string> Banks => Prefixes.Keys;

    public static bool IsKnownBank(string bank) => Prefixes.ContainsKey(bank);

    public static string Number(string bank, long sequence) =>
        Prefixes[bank] + sequence.ToString("D11", CultureInfo.InvariantCulture);
}
