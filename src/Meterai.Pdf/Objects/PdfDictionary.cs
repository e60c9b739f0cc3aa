using System.Collections;

namespace Meterai.Pdf.Objects;

/// <summary>
/// A dictionary (§7.3.7) that keeps its keys in insertion order, so that a rewritten object reads like the original.
/// A key with a null value is the same as an absent key (§7.3.7), so <see cref="Set"/> with <see cref="PdfNull"/>
/// removes it.
/// </summary>
/// <remarks>
/// Stored as one array of entries in order, searched from the start: almost every PDF dictionary has a handful of keys,
/// and a hashed ordered dictionary cost about twice the memory for them (a stamp builds and parses dozens). Past
/// <see cref="IndexThreshold"/> keys an index by key is kept as well, so a file's dictionary of thousands of keys
/// costs no quadratic time.
/// </remarks>
public sealed class PdfDictionary : PdfObject
{
    private const int IndexThreshold = 16;

    private KeyValuePair<string, PdfObject>[] _items;
    private int _count;
    private Dictionary<string, int>? _index;
    private int _version;

    public PdfDictionary() => _items = [];

    public PdfDictionary(int capacity) => _items = capacity > 0 ? new KeyValuePair<string, PdfObject>[capacity] : [];

    public int Count => _count;

    /// <summary>The entries in order (a struct enumerator: no allocation in a foreach).</summary>
    public EntryList Entries => new(this);

    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var (key, _) in Entries) yield return key;
        }
    }

    /// <summary>The value under <paramref name="key"/> (no leading slash), or null when absent.</summary>
    public PdfObject? this[string key] => IndexOf(key) is >= 0 and var i ? _items[i].Value : null;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public PdfDictionary Set(string key, PdfObject value)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (value is PdfNull)
        {
            Remove(key);
            return this;
        }

        var i = IndexOf(key);
        if (i >= 0)
        {
            // As an ordered dictionary does: the key keeps its place, the value changes.
            _items[i] = new KeyValuePair<string, PdfObject>(_items[i].Key, value);
        }
        else
        {
            Append(key, value);
            _version++;
        }

        return this;
    }

    public bool Remove(string key)
    {
        var i = IndexOf(key);
        if (i < 0) return false;
        _count--;
        Array.Copy(_items, i + 1, _items, i, _count - i);
        _items[_count] = default;
        if (_index is not null)
        {
            _index.Remove(key);
            for (var k = i; k < _count; k++) _index[_items[k].Key] = k;
        }

        _version++;
        return true;
    }

    /// <summary>A copy of this dictionary's entries (values shared): the base of every rewritten object.</summary>
    public PdfDictionary Clone()
    {
        var d = new PdfDictionary(_count + 2);
        Array.Copy(_items, d._items, _count);
        d._count = _count;
        if (_index is not null) d._index = new Dictionary<string, int>(_index, StringComparer.Ordinal);
        return d;
    }

    /// <summary>The value as a name, when it is one (direct values only).</summary>
    public string? GetName(string key) => this[key] is PdfName n ? n.Value : null;

    public override string ToString() => "<<" + string.Join(" ", Entries.Select(e => $"/{e.Key} {e.Value}")) + ">>";

    private int IndexOf(string key)
    {
        if (_index is not null) return _index.TryGetValue(key, out var i) ? i : -1;
        var items = _items;
        for (var k = 0; k < _count; k++)
        {
            if (string.Equals(items[k].Key, key, StringComparison.Ordinal)) return k;
        }

        return -1;
    }

    private void Append(string key, PdfObject value)
    {
        if (_count == _items.Length) Array.Resize(ref _items, Math.Max(4, _items.Length * 2));
        _items[_count] = new KeyValuePair<string, PdfObject>(key, value);
        if (_index is not null)
        {
            _index[key] = _count;
        }
        else if (_count + 1 > IndexThreshold)
        {
            _index = new Dictionary<string, int>(_count * 2, StringComparer.Ordinal);
            for (var k = 0; k <= _count; k++) _index[_items[k].Key] = k;
        }

        _count++;
    }

    /// <summary>The entries of a dictionary in order; enumerating it while the dictionary changes throws, as before.</summary>
    public readonly struct EntryList(PdfDictionary dictionary) : IEnumerable<KeyValuePair<string, PdfObject>>
    {
        public Enumerator GetEnumerator() => new(dictionary);

        IEnumerator<KeyValuePair<string, PdfObject>> IEnumerable<KeyValuePair<string, PdfObject>>.GetEnumerator() => GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    public struct Enumerator : IEnumerator<KeyValuePair<string, PdfObject>>
    {
        private readonly PdfDictionary _dictionary;
        private readonly int _version;
        private int _next;

        internal Enumerator(PdfDictionary dictionary)
        {
            _dictionary = dictionary;
            _version = dictionary._version;
            _next = 0;
            Current = default;
        }

        public KeyValuePair<string, PdfObject> Current { get; private set; }

        readonly object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            if (_version != _dictionary._version) throw new InvalidOperationException("the dictionary was changed while it was being enumerated");
            if (_next >= _dictionary._count) return false;
            Current = _dictionary._items[_next++];
            return true;
        }

        public void Reset()
        {
            if (_version != _dictionary._version) throw new InvalidOperationException("the dictionary was changed while it was being enumerated");
            _next = 0;
            Current = default;
        }

        public readonly void Dispose()
        {
        }
    }
}
