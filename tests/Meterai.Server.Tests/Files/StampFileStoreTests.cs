using System.Security.Cryptography;
using Meterai.Server.Files;
using Meterai.Storage;
using Microsoft.Extensions.Configuration;

namespace Meterai.Server.Tests.Files;

/// <summary>The file store publishes whole files once, in each durability mode, and the shared sync serves every waiter.</summary>
public sealed class StampFileStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("meterai-files-").FullName;

    private (StampFileStore Store, DiskWorkers Disk) Open(string? sync, bool fsync = true)
    {
        var settings = new Dictionary<string, string?> { ["Files:Fsync"] = fsync ? "true" : "false", ["Files:DiskThreads"] = "2" };
        if (sync is not null) settings["Files:Sync"] = sync;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var disk = new DiskWorkers(configuration);
        return (new StampFileStore(configuration, DatabaseOptions.Sqlite(_dir), disk), disk);
    }

    [Theory]
    [InlineData("group", true, "group")]
    [InlineData("file", true, "file")]
    [InlineData(null, false, "none")]
    public async Task An_output_is_published_whole_and_once(string? sync, bool fsync, string mode)
    {
        if (sync == "group" && !FileSystemSync.IsSupported) return;
        var (store, disk) = Open(sync, fsync);
        using var _ = disk;
        using var __ = store;
        Assert.Equal(mode, store.SyncMode);

        var first = RandomNumberGenerator.GetBytes(97 * 1024);
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => store.PublishOutputAsync(42, 1, i == 0 ? first : RandomNumberGenerator.GetBytes(10), CancellationToken.None)));
        Assert.Single(outcomes, won => won);
        var published = await File.ReadAllBytesAsync(store.OutputPath(42, 1), TestContext.Current.CancellationToken);
        Assert.True(published.Length == first.Length || published.Length == 10); // whichever writer won, its whole file
        var described = await store.DescribeOutputAsync(42, 1, CancellationToken.None);
        Assert.Equal((SHA256.HashData(published), (long)published.Length), (described!.Value.Sha256, described.Value.Length), new ShaLengthComparer());
        Assert.Empty(Directory.EnumerateFiles(store.TempDirectory)); // the losers' temporary files are gone

        Assert.True(await store.PublishBytesAsync(first, store.JobInputPath(7)));
        Assert.Equal(first, await File.ReadAllBytesAsync(store.JobInputPath(7), TestContext.Current.CancellationToken));
        Assert.False(await store.PublishBytesAsync(first, store.JobInputPath(7)));
    }

    [Fact]
    public void Writers_racing_for_one_name_leave_one_winner_and_its_file()
    {
        // Threads released together at each name: a check-then-rename publish lets two of them win (CI caught it).
        var (store, disk) = Open("file", fsync: false);
        using var _ = disk;
        using var __ = store;
        const int racers = 4;
        for (var round = 0; round < 200; round++)
        {
            var final = store.OutputPath(1000, round + 1);
            var contents = Enumerable.Range(0, racers).Select(_ => RandomNumberGenerator.GetBytes(64)).ToArray();
            var temps = contents.Select(c =>
            {
                var t = store.NewTempPath();
                File.WriteAllBytes(t, c);
                return t;
            }).ToArray();
            var won = new bool[racers];
            using var start = new Barrier(racers);
            var threads = Enumerable.Range(0, racers).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                won[i] = store.Publish(temps[i], final);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());

            var winner = Assert.Single(Enumerable.Range(0, racers), i => won[i]);
            Assert.Equal(contents[winner], File.ReadAllBytes(final));
        }

        Assert.Empty(Directory.EnumerateFiles(store.TempDirectory));
    }

    [Fact]
    public void An_unknown_sync_mode_is_refused_at_start()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Open("sometimes"));
        Assert.Contains("Files:Sync", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_sync_serves_many_waiters_and_a_stopped_one_refuses_new_ones()
    {
        if (!FileSystemSync.IsSupported) return;
        var sync = new FileSystemSync(_dir);
        await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => sync.FlushAsync()));
        Assert.InRange(sync.Rounds, 1, 500);
        sync.Dispose();
        Assert.Throws<ObjectDisposedException>(() => { _ = sync.FlushAsync(); });
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed class ShaLengthComparer : IEqualityComparer<(byte[], long)>
    {
        public bool Equals((byte[], long) x, (byte[], long) y) => x.Item1.AsSpan().SequenceEqual(y.Item1) && x.Item2 == y.Item2;

        public int GetHashCode((byte[], long) obj) => obj.Item2.GetHashCode();
    }
}
