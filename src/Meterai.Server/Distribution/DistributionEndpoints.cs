using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.Server.Api;
using Meterai.Server.Identity;

namespace Meterai.Server.Distribution;

/// <summary>
/// Issuing and distributing quota over HTTP. Every write needs an Idempotency-Key; every balance shown is read from
/// the ledger (stamps) or the funds store (Rupiah).
/// </summary>
internal static class DistributionEndpoints
{
    private static readonly string[] TokenCodes = IdentityErrors.TokenCodes;

    private static readonly string[] KeyCodes = [IdempotencyKey.Missing, IdempotencyKey.Invalid, DistributionErrors.StampsInvalid];

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Distribution");

        api.MapPost("/issuer/mint", async (StampsRequest body, HttpContext http, QuotaDistribution distribution, ILedgerStore ledger, CancellationToken ct) =>
            {
                var (key, problem) = IdempotencyKey.Read(http.Request);
                if (problem is not null) return problem;
                var minted = await distribution.MintAsync(http.Caller().Id, key!, body.Stamps ?? 0, ct);
                return minted.IsOk ? Results.Ok(await TransferAsync(minted.Value, QuotaAccounts.IssuerStock.Id, ledger, ct)) : ApiProblem.Of(minted.Error);
            })
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Mint stamps into the issuer's stock (issuer admin; Idempotency-Key)")
            .Produces<TransferResponse>()
            .Problems(400, KeyCodes).Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(422, DistributionErrors.IdempotencyKeyReused);

        api.MapGet("/issuer", async (ILedgerStore ledger, CancellationToken ct) =>
            {
                var accounts = (await ledger.LookupAccountsAsync([SystemAccounts.Minted.Id, QuotaAccounts.IssuerStock.Id, SystemAccounts.Consumed.Id, SystemAccounts.Refunded.Id], ct))
                    .ToDictionary(a => a.Id);
                var consumed = accounts.GetValueOrDefault(SystemAccounts.Consumed.Id);
                return Results.Ok(new IssuerResponse(accounts.GetValueOrDefault(SystemAccounts.Minted.Id)?.DebitsPosted ?? 0,
                    QuotaBalance.From(accounts.GetValueOrDefault(QuotaAccounts.IssuerStock.Id)), consumed?.CreditsPosted ?? 0, consumed?.CreditsPending ?? 0,
                    accounts.GetValueOrDefault(SystemAccounts.Refunded.Id)?.CreditsPosted ?? 0));
            })
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("The issuer's books: minted, stock, consumed, reserved, refunded (auditor, issuer admin)")
            .Produces<IssuerResponse>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden);

        api.MapPost("/channels/{id}/deposits", async (string id, DepositRequest body, HttpContext http, QuotaDistribution distribution, CancellationToken ct) =>
            {
                var (key, problem) = IdempotencyKey.Read(http.Request);
                if (problem is not null) return problem;
                if (!PublicId.TryParse(id, out var channelId)) return ChannelNotFound();
                var recorded = await distribution.RecordDepositAsync(http.Caller().Id, channelId, key!, body.Amount ?? 0, body.Reference, ct);
                return recorded.IsOk ? Results.Ok(DepositResponse.From(recorded.Value)) : ApiProblem.Of(recorded.Error);
            })
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Record money a channel paid for quota, in Rupiah with the payment's reference (issuer admin; Idempotency-Key)")
            .Produces<DepositResponse>()
            .Problems(400, IdempotencyKey.Missing, IdempotencyKey.Invalid, DistributionErrors.AmountInvalid, DistributionErrors.ReferenceInvalid)
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ChannelNotFound)
            .Problems(422, DistributionErrors.IdempotencyKeyReused);

        api.MapPost("/channels/{id}/allocations", async (string id, StampsRequest body, HttpContext http, QuotaDistribution distribution, CancellationToken ct) =>
            {
                var (key, problem) = IdempotencyKey.Read(http.Request);
                if (problem is not null) return problem;
                if (!PublicId.TryParse(id, out var channelId)) return ChannelNotFound();
                var allocated = await distribution.AllocateAsync(http.Caller().Id, channelId, key!, body.Stamps ?? 0, ct);
                return allocated.IsOk ? Results.Ok(AllocationResponse.From(allocated.Value)) : ApiProblem.Of(allocated.Error);
            })
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Allocate stamps from the issuer's stock to a channel, up to what its deposits cover at its price (issuer admin; Idempotency-Key)")
            .Produces<AllocationResponse>()
            .Problems(400, KeyCodes).Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ChannelNotFound)
            .Problems(409, DistributionErrors.DepositInsufficient, DistributionErrors.IssuerStockInsufficient).Problems(422, DistributionErrors.IdempotencyKeyReused);

        api.MapGet("/channels/{id}/funds", async (string id, IChannelStore channels, IChannelFundsStore funds, ILedgerStore ledger, CancellationToken ct) =>
                PublicId.TryParse(id, out var channelId) && await channels.GetAsync(channelId, ct) is { } channel
                    ? Results.Ok(await FundsAsync(channel, funds, ledger, ct))
                    : ChannelNotFound())
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("A channel's deposits, allocations and stamps (auditor, issuer admin)")
            .Produces<ChannelFundsResponse>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ChannelNotFound);

        api.MapGet("/channel", async (HttpContext http, IChannelStore channels, IChannelFundsStore funds, ILedgerStore ledger, CancellationToken ct) =>
                await channels.GetAsync(http.Caller().Id, ct) is { } channel ? Results.Ok(new { channel = ChannelResponse.From(channel), funds = await FundsAsync(channel, funds, ledger, ct) }) : ChannelNotFound())
            .RequireAuthorization(AccessPolicies.Channel)
            .WithSummary("The calling channel, its deposits, allocations and stamps")
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden);

        api.MapPost("/channel/applicants", async (ChannelApplicantRequest body, HttpContext http, IApplicantStore applicants, ApplicantAccess access, ILedgerStore ledger, IClock clock, CancellationToken ct) =>
            {
                var reference = body.ExternalRef?.Trim();
                if (string.IsNullOrEmpty(reference) || reference.Length > 100)
                {
                    return ApiProblem.Field(IdentityErrors.ExternalRefInvalid, "external_ref", "external_ref is the channel's own reference for its customer (1 to 100 characters)");
                }

                var applicant = await applicants.CreateForChannelAsync(LedgerId.New(clock), http.Caller().Id, reference, clock.UtcNow, ct);
                await access.EnsureQuotaAccountAsync(applicant.Id, ct);
                return Results.Ok(ApplicantResponse.From(applicant, await QuotaAccountAsync(ledger, applicant.Id, ct)));
            })
            .RequireAuthorization(AccessPolicies.Channel)
            .WithSummary("Create (or find) the applicant for one of the channel's customers, by the channel's own reference")
            .Produces<ApplicantResponse>()
            .Problems(400, IdentityErrors.ExternalRefInvalid).Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden);

        api.MapGet("/channel/applicants", async (HttpContext http, string? after, int? limit, IApplicantStore applicants, ILedgerStore ledger, CancellationToken ct) =>
            {
                var from = UInt128.Zero;
                if (after is not null && !PublicId.TryParse(after, out from)) return ApiProblem.Field("cursor_invalid", "after", "after is the id of the last applicant of the previous page");
                var list = await applicants.ListByChannelAsync(http.Caller().Id, from, Math.Clamp(limit ?? 100, 1, 500), ct);
                var quotas = (await ledger.LookupAccountsAsync(list.Select(a => QuotaAccounts.ApplicantQuotaId(a.Id)).ToList(), ct)).ToDictionary(a => a.OwnerId);
                return Results.Ok(list.Select(a => ApplicantResponse.From(a, quotas.GetValueOrDefault(a.Id))));
            })
            .RequireAuthorization(AccessPolicies.Channel)
            .WithSummary("The channel's applicants with their quota, in id order (after=<last id>, limit ≤ 500)")
            .Produces<IEnumerable<ApplicantResponse>>()
            .Problems(400, "cursor_invalid").Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden);

        api.MapGet("/channel/applicants/{id}", async (string id, HttpContext http, IApplicantStore applicants, ILedgerStore ledger, CancellationToken ct) =>
                await ChannelApplicantAsync(id, http.Caller(), applicants, ct) is { } a
                    ? Results.Ok(ApplicantResponse.From(a, await QuotaAccountAsync(ledger, a.Id, ct)))
                    : ApplicantNotFound())
            .RequireAuthorization(AccessPolicies.Channel)
            .WithSummary("One of the channel's applicants with its quota")
            .Produces<ApplicantResponse>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ApplicantNotFound);

        api.MapPost("/channel/applicants/{id}/quota", async (string id, StampsRequest body, HttpContext http, QuotaDistribution distribution, ILedgerStore ledger, CancellationToken ct) =>
            {
                var (key, problem) = IdempotencyKey.Read(http.Request);
                if (problem is not null) return problem;
                if (!PublicId.TryParse(id, out var applicantId)) return ApplicantNotFound();
                var sold = await distribution.SellAsync(http.Caller().Id, applicantId, key!, body.Stamps ?? 0, ct);
                return sold.IsOk ? Results.Ok(await TransferAsync(sold.Value, QuotaAccounts.ApplicantQuotaId(applicantId), ledger, ct)) : ApiProblem.Of(sold.Error);
            })
            .RequireAuthorization(AccessPolicies.Channel)
            .WithSummary("Sell stamps from the channel's deposit account to one of its applicants (Idempotency-Key)")
            .Produces<TransferResponse>()
            .Problems(400, KeyCodes).Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ApplicantNotFound)
            .Problems(409, DistributionErrors.ChannelStampsInsufficient).Problems(422, DistributionErrors.IdempotencyKeyReused);

        api.MapPost("/applicants/{id}/quota", async (string id, StampsRequest body, HttpContext http, QuotaDistribution distribution, ILedgerStore ledger, CancellationToken ct) =>
            {
                var (key, problem) = IdempotencyKey.Read(http.Request);
                if (problem is not null) return problem;
                if (!PublicId.TryParse(id, out var applicantId)) return ApplicantNotFound();
                var sold = await distribution.SellDirectAsync(http.Caller().Id, applicantId, key!, body.Stamps ?? 0, ct);
                return sold.IsOk ? Results.Ok(await TransferAsync(sold.Value, QuotaAccounts.ApplicantQuotaId(applicantId), ledger, ct)) : ApiProblem.Of(sold.Error);
            })
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Sell stamps from the issuer's stock directly to an applicant (issuer admin; Idempotency-Key)")
            .Produces<TransferResponse>()
            .Problems(400, KeyCodes).Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ApplicantNotFound)
            .Problems(409, DistributionErrors.IssuerStockInsufficient).Problems(422, DistributionErrors.IdempotencyKeyReused);

        api.MapGet("/applicants/{id}", async (string id, IApplicantStore applicants, ILedgerStore ledger, CancellationToken ct) =>
                PublicId.TryParse(id, out var applicantId) && await applicants.GetAsync(applicantId, ct) is { } a
                    ? Results.Ok(ApplicantResponse.From(a, await QuotaAccountAsync(ledger, a.Id, ct)))
                    : ApplicantNotFound())
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("Any applicant with its quota (auditor, issuer admin)")
            .Produces<ApplicantResponse>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ApplicantNotFound);

        api.MapGet("/quota", async (HttpContext http, ILedgerStore ledger, CancellationToken ct) => Results.Ok(QuotaBalance.From(await QuotaAccountAsync(ledger, http.Caller().Id, ct))))
            .RequireAuthorization(AccessPolicies.Applicant)
            .WithSummary("The calling applicant's quota, from the ledger")
            .Produces<QuotaBalance>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden);
    }

    private static async Task<Applicant?> ChannelApplicantAsync(string id, Principal caller, IApplicantStore applicants, CancellationToken ct) =>
        PublicId.TryParse(id, out var applicantId) && await applicants.GetAsync(applicantId, ct) is { } a && a.ChannelId == caller.Id ? a : null;

    private static async Task<Account?> QuotaAccountAsync(ILedgerStore ledger, UInt128 applicantId, CancellationToken ct) =>
        (await ledger.LookupAccountsAsync([QuotaAccounts.ApplicantQuotaId(applicantId)], ct)).FirstOrDefault();

    private static async Task<TransferResponse> TransferAsync(DistributionResult r, UInt128 account, ILedgerStore ledger, CancellationToken ct) =>
        new(PublicId.Format(r.TransferId), r.Stamps, r.Replayed, QuotaBalance.From((await ledger.LookupAccountsAsync([account], ct)).FirstOrDefault()));

    private static async Task<ChannelFundsResponse> FundsAsync(Channel channel, IChannelFundsStore funds, ILedgerStore ledger, CancellationToken ct)
    {
        var balance = await funds.BalanceAsync(channel.Id, ct);
        var account = (await ledger.LookupAccountsAsync([QuotaAccounts.ChannelDepositId(channel.Id)], ct)).FirstOrDefault();
        return new ChannelFundsResponse(PublicId.Format(channel.Id), channel.PricePerStamp, balance.Deposited, balance.Allocated, balance.Available, QuotaBalance.From(account),
            (await funds.DepositsAsync(channel.Id, ct)).Select(DepositResponse.From).ToList(), (await funds.AllocationsAsync(channel.Id, ct)).Select(AllocationResponse.From).ToList());
    }

    private static IResult ChannelNotFound() => ApiProblem.Of(StatusCodes.Status404NotFound, IdentityErrors.ChannelNotFound, "no such channel");

    private static IResult ApplicantNotFound() => ApiProblem.Of(StatusCodes.Status404NotFound, IdentityErrors.ApplicantNotFound, "no such applicant");
}
