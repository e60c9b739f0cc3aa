using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Meterai.Storage.Migrations;

/// <summary>
/// One embedded SQL migration: <c>Migrations/{sqlite,postgres}/NNNN_name.sql</c>. Applied once, in version order,
/// inside a transaction that also records it in <c>schema_migrations</c> (with its SHA-256, so that a migration edited
/// after it ran is noticed instead of silently diverging between databases).
/// </summary>
internal sealed partial record Migration(int Version, string Name, string Sql, string Sha256)
{
    public static IReadOnlyList<Migration> For(DatabaseProvider provider)
    {
        var assembly = typeof(Migration).Assembly;
        var folder = $".Migrations.{provider.Name()}.";
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var at = resource.IndexOf(folder, StringComparison.Ordinal);
            if (at < 0) continue;
            var file = resource[(at + folder.Length)..];
            var m = FileName().Match(file);
            if (!m.Success) throw new InvalidOperationException($"migration file name '{file}' is not NNNN_name.sql");
            list.Add(Load(assembly, resource, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value));
        }

        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Version == list[i - 1].Version) throw new InvalidOperationException($"two migrations numbered {list[i].Version} for {provider.Name()}");
        }

        return list;
    }

    private static Migration Load(Assembly assembly, string resource, int version, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // Line endings normalised: a checkout with CRLF must not look like an edited migration.
        var sql = reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
        return new Migration(version, name, sql, sha);
    }

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FileName();
}

/// <summary>A migration recorded in <c>schema_migrations</c>.</summary>
public sealed record AppliedMigration(int Version, string Name, string Sha256, DateTimeOffset AppliedAt);
