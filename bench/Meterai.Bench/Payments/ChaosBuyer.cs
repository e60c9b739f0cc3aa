namespace Meterai.Bench.Payments;

/// <summary>
/// One buyer of the chaos scenario: who it is to the server (a bearer token, fetched again whenever the runner needs
/// one: the server may have been killed meanwhile, or the token expired), and the ledger account its stamps land in.
/// </summary>
/// <param name="Token">Gets a bearer token from the server; throws <see cref="HttpRequestException"/> while the server is down.</param>
public sealed record ChaosBuyer(string Name, UInt128 QuotaAccountId, Func<HttpClient, CancellationToken, Task<string>> Token);

/// <summary>Creates the scenario's buyers on a running server (accounts, credentials).</summary>
public interface IChaosBuyerSource
{
    Task<IReadOnlyList<ChaosBuyer>> ProvisionAsync(HttpClient server, int count, CancellationToken cancellationToken);
}
