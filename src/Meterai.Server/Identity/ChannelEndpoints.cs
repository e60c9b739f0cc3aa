using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Distribution;
using Meterai.Core.Identity;
using Meterai.Core.Ledger;
using Meterai.Server.Api;

namespace Meterai.Server.Identity;

/// <summary>
/// Channels and their API keys: the issuer admin creates and changes channels and their keys, auditors read them,
/// a channel manages its own keys (several at once, for rotation without downtime).
/// </summary>
internal static class ChannelEndpoints
{
    private static readonly string[] TokenCodes = IdentityErrors.TokenCodes;

    public static void Map(IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/channels").WithTags("Channels");

        admin.MapPost("", async (ChannelRequest body, IChannelStore channels, ILedgerStore ledger, IClock clock, CancellationToken ct) =>
            {
                if (Channel.ValidateCode(body.Code) is { } badCode) return ApiProblem.Of(badCode);
                var name = body.Name?.Trim();
                if (string.IsNullOrEmpty(name) || name.Length > 200) return ApiProblem.Field("channel_name_invalid", "name", "a channel name has 1 to 200 characters");
                if (Channel.ValidateServiceFee(body.ServiceFee ?? 0) is { } badFee) return ApiProblem.Of(badFee);
                var created = await channels.CreateAsync(new Channel(LedgerId.New(clock), body.Code!, name, body.ServiceFee ?? 0, ChannelStatus.Active, clock.UtcNow), ct);
                if (!created.IsOk) return ApiProblem.Of(created.Error);
                // The deposit account exists with the channel (idempotent), so allocations and balances never miss it.
                var account = (await ledger.CreateAccountsAsync([QuotaAccounts.ChannelDeposit(created.Value.Id)], ct))[0];
                if (!account.IsCommitted()) throw new InvalidOperationException($"channel deposit account: {account.Code()}");
                return Results.Created($"/api/v1/channels/{PublicId.Format(created.Value.Id)}", ChannelResponse.From(created.Value));
            })
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Create a channel (issuer admin); creating the same code, name and fee again answers the existing channel")
            .Produces<ChannelResponse>(StatusCodes.Status201Created)
            .Problems(400, IdentityErrors.ChannelCodeInvalid, "channel_name_invalid", "service_fee_invalid")
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden)
            .Problems(409, IdentityErrors.ChannelCodeTaken);

        admin.MapGet("", async (IChannelStore channels, CancellationToken ct) => Results.Ok((await channels.ListAsync(ct)).Select(ChannelResponse.From)))
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("Every channel (auditor, issuer admin)")
            .Produces<IEnumerable<ChannelResponse>>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden);

        admin.MapGet("/{id}", async (string id, IChannelStore channels, CancellationToken ct) =>
                await FindAsync(id, channels, ct) is { } c ? Results.Ok(ChannelResponse.From(c)) : NotFound())
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("One channel (auditor, issuer admin)")
            .Produces<ChannelResponse>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ChannelNotFound);

        admin.MapMethods("/{id}", ["PATCH"], async (string id, ChannelPatchRequest body, IChannelStore channels, AccessRevocationCache revocations, CancellationToken ct) =>
            {
                if (await FindAsync(id, channels, ct) is not { } channel || channel.Id == Channel.DirectId) return NotFound();
                var name = body.Name?.Trim();
                if (name is { Length: 0 or > 200 }) return ApiProblem.Field("channel_name_invalid", "name", "a channel name has 1 to 200 characters");
                if (body.ServiceFee is { } fee && Channel.ValidateServiceFee(fee) is { } badFee) return ApiProblem.Of(badFee);
                ChannelStatus? status = body.Status switch
                {
                    null => null,
                    "active" => ChannelStatus.Active,
                    "suspended" => ChannelStatus.Suspended,
                    _ => (ChannelStatus)0,
                };
                if (status == 0) return ApiProblem.Field("channel_status_invalid", "status", "status is active or suspended");
                var updated = await channels.UpdateAsync(channel.Id, name, body.ServiceFee, status, ct);
                if (!updated.IsOk) return ApiProblem.Of(updated.Error);
                if (status is not null) await revocations.RefreshAsync(ct);
                return Results.Ok(ChannelResponse.From(updated.Value));
            })
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Change a channel's name, service fee (price per stamp = 10,000 + fee) or status; suspending ends its tokens")
            .Produces<ChannelResponse>()
            .Problems(400, "channel_name_invalid", "service_fee_invalid", "channel_status_invalid")
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ChannelNotFound);

        admin.MapPost("/{id}/api-keys", async (string id, ApiKeyRequest? body, IChannelStore channels, ChannelAccess access, CancellationToken ct) =>
                await FindAsync(id, channels, ct) is { } channel ? await CreateKeyAsync(access, channel.Id, body?.Name, ct) : NotFound())
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Create an API key for a channel (issuer admin); the key is in this answer only")
            .Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created)
            .Problems(400, "api_key_name_invalid").Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden)
            .Problems(404, IdentityErrors.ChannelNotFound).Problems(409, "api_key_limit_reached");

        admin.MapGet("/{id}/api-keys", async (string id, IChannelStore channels, CancellationToken ct) =>
                await FindAsync(id, channels, ct) is { } channel ? Results.Ok((await channels.ListApiKeysAsync(channel.Id, ct)).Select(ApiKeyResponse.From)) : NotFound())
            .RequireAuthorization(AccessPolicies.Auditor)
            .WithSummary("A channel's API keys, without their secrets (auditor, issuer admin)")
            .Produces<IEnumerable<ApiKeyResponse>>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ChannelNotFound);

        admin.MapDelete("/{id}/api-keys/{keyId}", async (string id, string keyId, IChannelStore channels, AccessRevocationCache revocations, IClock clock, CancellationToken ct) =>
                await FindAsync(id, channels, ct) is { } channel ? await RevokeAsync(channels, revocations, clock, channel.Id, keyId, ct) : NotFound())
            .RequireAuthorization(AccessPolicies.IssuerAdmin)
            .WithSummary("Revoke a channel's API key (issuer admin): no new tokens, and its live tokens stop within seconds")
            .Produces<ApiKeyResponse>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ChannelNotFound, IdentityErrors.ApiKeyNotFound);

        var own = app.MapGroup("/api/v1/channel/api-keys").WithTags("Channels").RequireAuthorization(AccessPolicies.Channel);

        own.MapPost("", (ApiKeyRequest? body, HttpContext http, ChannelAccess access, CancellationToken ct) => CreateKeyAsync(access, http.Caller().Id, body?.Name, ct))
            .WithSummary("Create another API key for the calling channel; the key is in this answer only")
            .Produces<CreatedApiKeyResponse>(StatusCodes.Status201Created)
            .Problems(400, "api_key_name_invalid").Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(409, "api_key_limit_reached");

        own.MapGet("", async (HttpContext http, IChannelStore channels, CancellationToken ct) =>
                Results.Ok((await channels.ListApiKeysAsync(http.Caller().Id, ct)).Select(ApiKeyResponse.From)))
            .WithSummary("The calling channel's API keys, without their secrets")
            .Produces<IEnumerable<ApiKeyResponse>>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden);

        own.MapDelete("/{keyId}", (string keyId, HttpContext http, IChannelStore channels, AccessRevocationCache revocations, IClock clock, CancellationToken ct) =>
                RevokeAsync(channels, revocations, clock, http.Caller().Id, keyId, ct))
            .WithSummary("Revoke one of the calling channel's API keys (also the one in use: its tokens stop working)")
            .Produces<ApiKeyResponse>()
            .Problems(401, TokenCodes).Problems(403, IdentityErrors.Forbidden).Problems(404, IdentityErrors.ApiKeyNotFound);
    }

    private static async Task<Channel?> FindAsync(string id, IChannelStore channels, CancellationToken ct) =>
        PublicId.TryParse(id, out var channelId) ? await channels.GetAsync(channelId, ct) : null;

    private static IResult NotFound() => ApiProblem.Of(StatusCodes.Status404NotFound, IdentityErrors.ChannelNotFound, "no such channel");

    private static async Task<IResult> CreateKeyAsync(ChannelAccess access, UInt128 channelId, string? name, CancellationToken ct)
    {
        var created = await access.CreateKeyAsync(channelId, name, ct);
        if (!created.IsOk) return ApiProblem.Of(created.Error);
        var k = created.Value.Record;
        return Results.Created($"/api/v1/channels/{PublicId.Format(channelId)}/api-keys/{PublicId.Format(k.Id)}",
            new CreatedApiKeyResponse(PublicId.Format(k.Id), PublicId.Format(k.ChannelId), k.Prefix, k.Name, k.CreatedAt, created.Value.Key));
    }

    private static async Task<IResult> RevokeAsync(IChannelStore channels, AccessRevocationCache revocations, IClock clock, UInt128 channelId, string keyId, CancellationToken ct)
    {
        if (!PublicId.TryParse(keyId, out var key)) return ApiProblem.Of(StatusCodes.Status404NotFound, IdentityErrors.ApiKeyNotFound, "the channel has no such API key");
        var revoked = await channels.RevokeApiKeyAsync(channelId, key, clock.UtcNow, ct);
        if (!revoked.IsOk) return ApiProblem.Of(revoked.Error);
        await revocations.RefreshAsync(ct);
        return Results.Ok(ApiKeyResponse.From(revoked.Value));
    }
}
