using System.Reflection;

namespace Meterai.Cli.Attacks;

/// <summary>Every <see cref="IAttack"/> in this assembly, ordered by item then id.</summary>
public static class AttackCatalog
{
    public static IReadOnlyList<IAttack> All { get; } = Discover();

    /// <summary>The attacks whose id or item is in <paramref name="only"/> (all when empty); unknown names are returned too.</summary>
    public static (IReadOnlyList<IAttack> Selected, IReadOnlyList<string> Unknown) Select(IReadOnlyCollection<string> only)
    {
        if (only.Count == 0) return (All, []);
        var selected = All.Where(a => only.Contains(a.Id) || only.Contains(a.Item)).ToList();
        var unknown = only.Where(o => !All.Any(a => a.Id == o || a.Item == o)).ToList();
        return (selected, unknown);
    }

    private static List<IAttack> Discover() =>
        typeof(IAttack).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAttack).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IAttack)Activator.CreateInstance(t)!)
            .OrderBy(a => ItemOrder(a.Item)).ThenBy(a => a.Item, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal)
            .ToList();

    private static int ItemOrder(string item) => int.TryParse(new string(item.TakeWhile(char.IsAsciiDigit).ToArray()), out var n) ? n : int.MaxValue;
}
