using System.Net;
using System.Text.RegularExpressions;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Messaging;

/// <summary>
/// Issue 10 item 8: in Production, codes for e-mail addresses go through a real SMTP server (STARTTLS and AUTH as
/// configured); a server that refuses the message is a 503 with a code for the caller, and the code is not lost in a
/// log or an error.
/// </summary>
public sealed partial class SmtpSenderTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_registration_code_goes_by_mail_over_starttls_with_auth_and_completes_the_registration()
    {
        await using var smtp = await LocalSmtpServer.StartAsync();
        await using var service = await TestService.StartWithOwnSenderAsync(backend, null, smtp.Settings());
        var contact = $"pelamar.{Guid.NewGuid():N}@contoh.id";

        var registered = await service.PostJsonAsync("/api/v1/applicants", new { contact, password = "kata-sandi-panjang" });

        var mail = Assert.Single(smtp.Messages(), m => m.To.Mailboxes.Any(b => b.Address == contact));
        Assert.Equal("kode@meterai.test", mail.From.Mailboxes.Single().Address);
        var body = mail.TextBody ?? "";
        var code = SixDigits().Match(body).Value;
        Assert.StartsWith($"Kode pendaftaran Meterai Anda: {code}.", body); // Bahasa Indonesia first,
        Assert.True(body.IndexOf("Your Meterai registration code", StringComparison.Ordinal) > body.IndexOf("Jangan berikan", StringComparison.Ordinal)); // then English
        Assert.Contains(code, mail.Subject);
        var token = await service.PostJsonAsync("/api/v1/auth/applicant/code", new { challenge_id = registered.GetProperty("challenge_id").GetString(), code });
        Assert.False(string.IsNullOrEmpty(token.GetProperty("access_token").GetString()));
        Assert.DoesNotContain(code, service.Logs.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_login_to_the_mail_server_is_503_code_delivery_failed_without_the_code_or_the_address()
    {
        await using var smtp = await LocalSmtpServer.StartAsync();
        await using var service = await TestService.StartWithOwnSenderAsync(backend, null, smtp.Settings(password: "not-the-password"));
        var contact = $"pelamar.{Guid.NewGuid():N}@contoh.id";

        using var answer = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact, password = "kata-sandi-panjang" });

        var problem = await ProblemAssert.IsAsync(answer, 503, "code_delivery_failed");
        Assert.NotNull(answer.Headers.RetryAfter);
        Assert.DoesNotContain(contact, problem.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(smtp.Messages());
        Assert.Contains("code delivery failed", service.Logs.ToString());
        Assert.DoesNotContain(contact, service.Logs.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_mail_server_that_does_not_answer_is_503_code_delivery_failed()
    {
        int closedPort;
        await using (var smtp = await LocalSmtpServer.StartAsync()) closedPort = smtp.Port;
        await using var service = await TestService.StartWithOwnSenderAsync(backend, null,
            "Messaging:Smtp:Host=127.0.0.1", $"Messaging:Smtp:Port={closedPort}", "Messaging:Smtp:From=kode@meterai.test", "Messaging:Smtp:TimeoutSeconds=3");

        using var answer = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = $"p.{Guid.NewGuid():N}@contoh.id", password = "kata-sandi-panjang" });

        await ProblemAssert.IsAsync(answer, 503, "code_delivery_failed");
    }

    [Fact]
    public async Task With_only_mail_configured_a_mobile_number_gets_503_not_a_silently_dropped_code()
    {
        await using var smtp = await LocalSmtpServer.StartAsync();
        await using var service = await TestService.StartWithOwnSenderAsync(backend, null, smtp.Settings());

        using var answer = await service.SendJsonAsync(HttpMethod.Post, "/api/v1/applicants", new { contact = "0812" + Random.Shared.Next(1_000_000, 9_999_999), password = "kata-sandi-panjang" });

        await ProblemAssert.IsAsync(answer, 503, "code_delivery_failed");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, answer.StatusCode);
    }

    [GeneratedRegex(@"\b\d{6}\b")]
    private static partial Regex SixDigits();
}
