namespace Meterai.Pdf.Objects;

/// <summary>
/// A dictionary (§7.3.7) that keeps its keys in insertion order, so that a rewritten object reads like the original.
/// A key with a null value is the same as an absent key (§7.3.7), so <see cref="Set"/> with <see cref="PdfNull"/>
/// removes it.
/// </summary>
public sealed class PdfDictionary : PdfObject
{
    private readonly OrderedDictionary<string, PdfObject> _entries;

    public PdfDictionary() => _entries = new OrderedDictionary<string, PdfObject>(StringComparer.Ordinal);

    public PdfDictionary(int capacity) => _entries = new OrderedDictionary<string, PdfObject>(capacity, StringComparer.Ordinal);

    public int Count => _entries.Count;

    public IEnumerable<KeyValuePair<string, PdfObject>> Entries => _entries;

    public IEnumerable<string> Keys => _entries.Keys;

    /// <summary>The value under <paramref name="key"/> (no leading slash), or null when absent.</summary>
    public PdfObject? this[string key] => _entries.TryGetValue(key, out var v) ? v : null;

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public PdfDictionary Set(string key, PdfObject value)
    {
        if (value is PdfNull) _entries.Remove(key);
        else _entries[key] = value;
        return this;
    }

    public bool Remove(string key) => _entries.Remove(key);

    /// <summary>A copy of this dictionary's entries (values shared): the base of every rewritten object.</summary>
    public PdfDictionary Clone()
    {
        var d = new PdfDictionary(_entries.Count + 2);
        foreach (var (k, v) in _entries) d._entries.Add(k, v);
        return d;
    }

    /// <summary>The value as a name, when it is one (direct values only).</summary>
    public string? GetName(string key) => this[key] is PdfName n ? n.Value : null;

    public override string ToString() => "<<" + string.Join(" ", _entries.Select(e => $"/{e.Key} {e.Value}")) + ">>";
}
