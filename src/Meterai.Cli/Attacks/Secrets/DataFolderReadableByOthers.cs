using Meterai.Storage.Secrets;

namespace Meterai.Cli.Attacks.Secrets;

/// <summary>
/// Issue 10 item 5: another account on the node (a co-hosted service, a log shipper) reads the data folder. Held when
/// the folder and everything under it are the owner's alone (folders 0700, files 0600).
/// </summary>
public sealed class DataFolderReadableByOthers : IAttack
{
    public string Id => "data-folder-readable-by-others";

    public string Item => "5";

    public string Description => "open the node's data folder (database, WAL, stamped files, uploads, keys, outbox) as another user of the machine";

    public Task<AttackOutcome> RunAsync(AttackTarget target, CancellationToken ct)
    {
        if (target.DataDirectory is not { } data) return Task.FromResult(AttackOutcome.Skipped("no access to the node's data folder (--data-dir)"));
        if (OperatingSystem.IsWindows()) return Task.FromResult(AttackOutcome.Skipped("file modes are a Unix matter"));
        var open = DataFolder.ReadableByOthers(data).Take(5).Select(p => $"{Path.GetRelativePath(data, p)} ({Mode(p)})").ToList();
        return Task.FromResult(open.Count == 0
            ? AttackOutcome.Held("the data folder and everything in it are owner-only")
            : AttackOutcome.Breached("readable by group or others: " + string.Join(", ", open)));
    }

    private static string Mode(string path) => OperatingSystem.IsWindows() ? "?" : Convert.ToString((int)File.GetUnixFileMode(path), 8);
}
