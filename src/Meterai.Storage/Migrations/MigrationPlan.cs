namespace Meterai.Storage.Migrations;

/// <summary>The decision shared by both migrators: which catalogue migrations are still to run.</summary>
internal static class MigrationPlan
{
    /// <summary>
    /// Checks what the database recorded against the catalogue and returns the next migration to apply, or null when
    /// up to date. Versions unknown to this build are left alone (a newer node migrated first during a rolling upgrade).
    /// </summary>
    public static Migration? Next(IReadOnlyList<Migration> catalogue, IReadOnlyDictionary<int, string> appliedSha256, bool apply)
    {
        foreach (var m in catalogue)
        {
            if (appliedSha256.TryGetValue(m.Version, out var sha))
            {
                if (sha != m.Sha256)
                {
                    throw new InvalidOperationException(
                        $"migration {m.Version:D4}_{m.Name} was changed after it was applied to this database (recorded sha256 {sha}, now {m.Sha256}): add a new migration instead of editing one");
                }

                continue;
            }

            if (!apply) throw new InvalidOperationException($"the database lacks migration {m.Version:D4}_{m.Name} and migrations are disabled");
            return m;
        }

        return null;
    }
}
