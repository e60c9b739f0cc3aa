using System.Net;
using System.Text.Json;
using Meterai.Cli.Attacks;
using Meterai.Server.Tests.Support;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Messaging;

/// <summary>
/// Issue 10 item 8: one-time codes never reach a log (91 codes were logged at Warning in one run), addresses are
/// masked there, and the development sender keeps its messages in the data folder's outbox file instead.
/// </summary>
public sealed class CodeLogTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Registration_and_login_leave_no_code_and_no_full_address_in_the_log()
    {
        // The development sender, and every level of logging a developer could turn on.
        await using var service = await TestService.StartWithOwnSenderAsync(backend, null, "environment=Development", "Logging:LogLevel:Default=Trace");
        var contact = $"pelamar.{Guid.NewGuid():N}@contoh.id";
        const string password = "kata-sandi-panjang";

        var registered = await service.PostJsonAsync("/api/v1/applicants", new { contact, password });
        Assert.DoesNotContain(contact, service.Logs.ToString(), StringComparison.OrdinalIgnoreCase);

        var outbox = new OutboxFileCodes(Path.Combine(service.DataDirectory, "dev-outbox.jsonl"));
        var code = await outbox.LatestCodeAsync(contact, TestContext.Current.CancellationToken);
        Assert.NotNull(code);
        await service.PostJsonAsync("/api/v1/auth/applicant/code", new { challenge_id = registered.GetProperty("challenge_id").GetString(), code });
        var login = await service.PostJsonAsync("/api/v1/auth/applicant/login", new { identifier = contact, password });
        var loginCode = await outbox.LatestCodeAsync(contact, TestContext.Current.CancellationToken);
        Assert.NotEqual(code, loginCode);
        await service.PostJsonAsync("/api/v1/auth/applicant/code", new { challenge_id = login.GetProperty("challenge_id").GetString(), code = loginCode });

        var logs = service.Logs.ToString();
        Assert.NotEmpty(logs);
        Assert.DoesNotContain(code, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(loginCode!, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(contact, logs, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("p*", logs, StringComparison.Ordinal); // the masked address says where the message went

        // The outbox: 0600, one object a line in the documented format.
        var path = Path.Combine(service.DataDirectory, "dev-outbox.jsonl");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var lines = (await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken)).Select(l => JsonDocument.Parse(l).RootElement).Where(l => l.GetProperty("to").GetString() == contact).ToList();
        Assert.Equal(["registration", "login"], lines.Select(l => l.GetProperty("purpose").GetString()));
        Assert.Equal([code, loginCode], lines.Select(l => l.GetProperty("code").GetString()));
        Assert.All(lines, l => Assert.True(DateTimeOffset.TryParse(l.GetProperty("expires_at").GetString(), out _)));
        Assert.StartsWith("Kode pendaftaran Meterai Anda: " + code, lines[0].GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_notice_goes_to_the_outbox_without_a_code()
    {
        var data = Directory.CreateTempSubdirectory("meterai-outbox-").FullName;
        var sender = new Meterai.Server.Messaging.DevelopmentOutboxSender(Meterai.Storage.DatabaseOptions.Sqlite(data),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Meterai.Server.Messaging.DevelopmentOutboxSender>.Instance);
        var to = Core.Identity.ContactAddress.Parse("+6281234567890").Value;
        await sender.SendNoticeAsync(new Core.Identity.AccountNotice(to, Core.Identity.AccountNoticeKind.RegistrationAttempt, DateTimeOffset.UtcNow), TestContext.Current.CancellationToken);

        var line = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(data, "dev-outbox.jsonl"), TestContext.Current.CancellationToken))).RootElement;
        Assert.Equal("+6281234567890", line.GetProperty("to").GetString());
        Assert.Equal("notice:registration_attempt", line.GetProperty("purpose").GetString());
        Assert.False(line.TryGetProperty("code", out _));
        Assert.StartsWith("Seseorang mencoba mendaftarkan", line.GetProperty("body").GetString());
    }

    [Fact]
    public void Production_refuses_to_start_without_a_real_code_sender()
    {
        var data = Directory.CreateTempSubdirectory("meterai-nosender-").FullName;
        var e = Assert.Throws<InvalidOperationException>(() => ServerHost.Build(
            ["--urls", "http://127.0.0.1:0", "--environment=Production", $"--Database:DataDirectory={data}", "--" + TestSecrets.Setting]));
        Assert.Contains("Messaging:Smtp:Host", e.Message);
        Assert.Contains("Messaging:Sms:Url", e.Message);
    }
}
