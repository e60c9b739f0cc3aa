using System.Text.Json;
using Meterai.Core.Identity;
using Meterai.Storage;
using Meterai.Storage.Secrets;

namespace Meterai.Server.Messaging;

/// <summary>
/// The development sender (Development environment only): appends each code and notice to
/// <c>&lt;data folder&gt;/dev-outbox.jsonl</c> (0600, one JSON object a line: <c>to</c>, <c>purpose</c>
/// (<c>registration</c>, <c>login</c>, <c>notice:registration_attempt</c>), <c>code</c> (absent for notices),
/// <c>expires_at</c>, <c>subject</c>, <c>body</c>) instead of mailing it. The log only says that a message was
/// written, to a masked address: a code never reaches a log, where it would outlive its five minutes in every log
/// shipper and be readable by everyone who reads logs. <c>meterai attack --codes-file</c> reads this file.
/// </summary>
internal sealed class DevelopmentOutboxSender(DatabaseOptions database, ILogger<DevelopmentOutboxSender> logger) : IOneTimeCodeSender
{
    public const string FileName = "dev-outbox.jsonl";

    private readonly SemaphoreSlim _append = new(1, 1);

    public string Path { get; } = System.IO.Path.Combine(database.DataDirectory, FileName);

    public Task SendAsync(OneTimeCodeMessage message, CancellationToken cancellationToken = default) =>
        AppendAsync(message.To, message.Purpose == CodePurpose.Registration ? "registration" : "login", message.Code, message.ExpiresAt, OneTimeCodeText.For(message), cancellationToken);

    public Task SendNoticeAsync(AccountNotice notice, CancellationToken cancellationToken = default) =>
        AppendAsync(notice.To, "notice:" + JsonNamingPolicy.SnakeCaseLower.ConvertName(notice.Kind.ToString()), null, null, OneTimeCodeText.For(notice), cancellationToken);

    private async Task AppendAsync(ContactAddress to, string purpose, string? code, DateTimeOffset? expiresAt, MessageText text, CancellationToken ct)
    {
        var line = JsonSerializer.Serialize(new Entry(to.Value, purpose, code, expiresAt, DateTimeOffset.UtcNow, text.Subject, text.Body), EntryJson.Default.Entry);
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        await _append.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // One write of one line with O_APPEND: lines of several processes sharing the folder do not interleave.
            await using var file = new FileStream(Path, DataFolder.CreateFileOptions(FileMode.Append));
            await file.WriteAsync(bytes, ct).ConfigureAwait(false);
        }
        finally
        {
            _append.Release();
        }

        logger.LogInformation("development sender: {purpose} for {to} written to {outbox} (not sent)", purpose, to.Masked(), Path);
    }

    internal sealed record Entry(string To, string Purpose, string? Code, DateTimeOffset? ExpiresAt, DateTimeOffset SentAt, string Subject, string Body);
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(DevelopmentOutboxSender.Entry))]
internal sealed partial class EntryJson : System.Text.Json.Serialization.JsonSerializerContext;
