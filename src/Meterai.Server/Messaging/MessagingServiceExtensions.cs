using Meterai.Core.Identity;

namespace Meterai.Server.Messaging;

/// <summary>
/// Who delivers one-time codes and account notices: SMTP (<see cref="SmtpOptions"/>) for e-mail addresses and an
/// HTTP SMS gateway (<see cref="SmsGatewayOptions"/>) for mobile numbers, whichever are configured. With neither, the
/// Development environment writes them to the development outbox; any other environment refuses to start, since a
/// server that cannot deliver codes registers nobody (and the development outbox is no place for real people's codes).
/// A sender registered before this runs (a test's recorder) is kept.
/// </summary>
public static class MessagingServiceExtensions
{
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        if (s.Any(d => d.ServiceType == typeof(IOneTimeCodeSender))) return builder;
        var smtp = SmtpOptions.Read(builder.Configuration);
        var sms = SmsGatewayOptions.Read(builder.Configuration);
        if (smtp is not null || sms is not null)
        {
            if (smtp is not null) s.AddSingleton(smtp).AddSingleton<SmtpCodeSender>();
            if (sms is not null) s.AddSingleton(sms).AddSingleton<SmsGatewayCodeSender>();
            s.AddSingleton<IOneTimeCodeSender>(sp => new ContactRoutingSender(
                smtp is null ? null : sp.GetRequiredService<SmtpCodeSender>(),
                sms is null ? null : sp.GetRequiredService<SmsGatewayCodeSender>()));
            return builder;
        }

        if (!builder.Environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                $"{builder.Environment.EnvironmentName} needs a real sender for one-time codes: configure Messaging:Smtp:Host (with From) for e-mail " +
                "addresses and/or Messaging:Sms:Url for mobile numbers. Only the Development environment writes codes to the development outbox.");
        }

        s.AddSingleton<IOneTimeCodeSender, DevelopmentOutboxSender>();
        return builder;
    }
}
