using Meterai.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Meterai.Storage.Secrets;
using Meterai.TestSupport;

namespace Meterai.Server.Tests.Secrets;

/// <summary>Issue 10 item 5: where the key-encryption key comes from, and that the data folder is the owner's alone.</summary>
public sealed class SecretsStartupTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Production_refuses_to_start_without_a_key_encryption_key()
    {
        var data = Directory.CreateTempSubdirectory("meterai-nokek-").FullName;
        var e = Assert.Throws<InvalidOperationException>(() => ServerHost.Build(
            ["--urls", "http://127.0.0.1:0", "--environment=Production", $"--Database:DataDirectory={data}", "--Messaging:Sms:Url=http://127.0.0.1:9/sms"]));
        Assert.Contains("Secrets:KeyEncryptionKeyFile", e.Message);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Development_with_no_set_up_generates_the_key_file_outside_the_data_folder_and_finds_it_again()
    {
        var root = Directory.CreateTempSubdirectory("meterai-devkek-").FullName;
        var data = Path.Combine(root, "data");
        var keyFile = Path.Combine(root, "config", "meterai", KeyEncryptionKeyFile.FileName);
        string[] args = ["--urls", "http://127.0.0.1:0", "--environment=Development", $"--Database:DataDirectory={data}", $"--Secrets:KeyEncryptionKeyFile={keyFile}"];
        string id;
        await using (var app = ServerHost.Build(args))
        {
            await app.StartAsync(Ct);
            id = app.Services.GetRequiredService<Core.Secrets.SecretSealer>().Current.Id;
        }

        Assert.True(File.Exists(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Empty(Directory.GetFiles(data, "*.keys", SearchOption.AllDirectories));
        await using (var again = ServerHost.Build(args))
        {
            await again.StartAsync(Ct);
            Assert.Equal(id, again.Services.GetRequiredService<Core.Secrets.SecretSealer>().Current.Id);
        }

        // With nothing configured at all, the file is the user's configuration folder's, never under the data folder.
        Assert.EndsWith(Path.Combine(".config", "meterai", KeyEncryptionKeyFile.FileName), KeyEncryptionKeyFile.DevelopmentPath);
        Assert.False(KeyEncryptionKeyFile.DevelopmentPath.StartsWith(Path.GetFullPath("data"), StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_folder_and_everything_in_it_are_owner_only()
    {
        await using var service = await TestService.StartAsync(backend);
        var world = await World.CreateAsync(service);
        using var stamped = await StampClient.StampAsync(service.Http, world.ChannelToken, Guid.NewGuid().ToString(), TestPdf.Create(pages: 1), world.Fields());
        Assert.True(stamped.IsSuccessStatusCode, await stamped.Content.ReadAsStringAsync(Ct));

        Assert.True(File.Exists(Path.Combine(service.DataDirectory, "meterai.db-wal")) || File.Exists(Path.Combine(service.DataDirectory, "meterai.db")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(service.DataDirectory, "files", "stamps"), "*.pdf", SearchOption.AllDirectories));
        var loose = DataFolder.ReadableByOthers(service.DataDirectory).Select(p => $"{p} {File.GetUnixFileMode(p)}").ToList();
        Assert.True(loose.Count == 0, string.Join("\n", loose));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_data_folder_left_readable_by_an_older_version_is_tightened_at_start()
    {
        var data = Directory.CreateTempSubdirectory("meterai-loose-").FullName;
        await using (await TestService.StartAsync(backend, data))
        {
        }

        // As the previous version left it: 0755 folders, 0644 files, and no marker of a tightened tree.
        File.Delete(Path.Combine(data, DataFolder.TightenedMarker));
        var stamp = Path.Combine(data, "files", "stamps", "ab", "c", "abc.1.pdf");
        Directory.CreateDirectory(Path.GetDirectoryName(stamp)!);
        File.WriteAllText(stamp, "%PDF-1.7");
        foreach (var dir in Directory.GetDirectories(data, "*", SearchOption.AllDirectories).Append(data)) File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        foreach (var file in Directory.GetFiles(data, "*", SearchOption.AllDirectories)) File.SetUnixFileMode(file, (UnixFileMode)0b110_100_100);
        Assert.NotEmpty(DataFolder.ReadableByOthers(data));

        await using (await TestService.StartAsync(backend, data))
        {
            Assert.Empty(DataFolder.ReadableByOthers(data));
        }
    }
}
