using System.Text.Json;

namespace Meterai.Cli.Attacks;

/// <summary>
/// Reads one-time codes from the development sender's outbox file (one JSON object per line: to, purpose, code,
/// expires_at), which a development node writes in its data folder instead of sending mail. Production nodes have no
/// such file: run the attack set there with a test mailbox instead.
/// </summary>
public sealed class OutboxFileCodes(string path) : IOneTimeCodeSource
{
    public async Task<string?> LatestCodeAsync(string contact, CancellationToken ct)
    {
        // The sender appends after it answers; give it a moment before concluding nothing came.
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (await FindAsync(contact, ct) is { } code) return code;
            await Task.Delay(100, ct);
        }

        return null;
    }

    private async Task<string?> FindAsync(string contact, CancellationToken ct)
    {
        if (!File.Exists(path)) return null;
        string? latest = null;
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length == 0) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.TryGetProperty("to", out var to) && string.Equals(to.GetString(), contact, StringComparison.OrdinalIgnoreCase)) latest = root.GetProperty("code").GetString();
        }

        return latest;
    }
}
