using Meterai.Core.Channels;
using Meterai.Core.Common;
using Meterai.Core.Identity;
using Meterai.Server.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Meterai.Server.Identity;

/// <summary>Identities and access: stores, access tokens, the authentication handler and policies, and the endpoints.</summary>
public static class IdentityServiceExtensions
{
    public static WebApplicationBuilder AddIdentity(this WebApplicationBuilder builder)
    {
        var options = IdentityOptions.Read(builder.Configuration);
        var s = builder.Services;
        s.AddSingleton(options);
        s.AddSingleton(options.Settings);
        s.AddSingleton(new PasswordHasher(options.Settings.PasswordIterations));
        s.AddSingleton<IChannelStore>(sp => sp.GetRequiredService<Storage.MeteraiDatabase>().Channels);
        s.AddSingleton<IApplicantStore>(sp => sp.GetRequiredService<Storage.MeteraiDatabase>().Applicants);
        s.AddSingleton<IOperatorStore>(sp => sp.GetRequiredService<Storage.MeteraiDatabase>().Operators);
        s.AddSingleton<ICodeChallengeStore>(sp => sp.GetRequiredService<Storage.MeteraiDatabase>().CodeChallenges);
        s.AddSingleton<ILoginThrottleStore>(sp => sp.GetRequiredService<Storage.MeteraiDatabase>().LoginThrottle);
        s.AddSingleton<IWindowCounterStore>(sp => sp.GetRequiredService<Storage.MeteraiDatabase>().WindowCounters);
        // Sealed at rest with the key-encryption key (Secrets/): the database alone mints no token.
        s.AddSingleton<ITokenSigningKeyStore>(sp => new SealedTokenSigningKeyStore(sp.GetRequiredService<Storage.MeteraiDatabase>().TokenSigningKeys, sp.GetRequiredService<Core.Secrets.SecretSealer>()));
        s.AddSingleton<ApplicantAccess>();
        s.AddSingleton<OperatorAccess>();
        s.AddSingleton<ChannelAccess>();
        s.AddSingleton<TokenKeyRing>();
        s.AddSingleton<AccessTokens>();
        s.AddSingleton<AccessRevocationCache>();
        s.AddSingleton<TokenSubjects>();
        s.AddHostedService<IdentityRefreshService>();
        s.AddHostedService<IdentityHousekeepingService>();
        ErrorStatus.Register(StatusCodes.Status401Unauthorized, IdentityErrors.TokenLifetimeExceeded, IdentityErrors.TokenSubjectUnknown);
        ErrorStatus.Register(StatusCodes.Status429TooManyRequests, IdentityErrors.TooManyCodes);
        s.AddAuthentication(AccessTokenHandler.SchemeName).AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AccessTokenHandler.SchemeName, null);
        AccessPolicies.Add(s.AddAuthorizationBuilder());
        return builder;
    }

    public static WebApplication MapIdentityEndpoints(this WebApplication app)
    {
        IdentityEndpoints.Map(app);
        ChannelEndpoints.Map(app);
        return app;
    }
}
