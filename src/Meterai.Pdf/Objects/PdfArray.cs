namespace Meterai.Pdf.Objects;

/// <summary>An array (§7.3.6). Mutable so that the writer can extend a copy (e.g. a page's /Annots).</summary>
public sealed class PdfArray : PdfObject, IReadOnlyList<PdfObject>
{
    private readonly List<PdfObject> _items;

    public PdfArray() => _items = [];

    public PdfArray(IEnumerable<PdfObject> items) => _items = [.. items];

    public PdfArray(int capacity) => _items = new List<PdfObject>(capacity);

    public int Count => _items.Count;

    public PdfObject this[int index] => _items[index];

    public void Add(PdfObject item) => _items.Add(item);

    public void SetAt(int index, PdfObject item) => _items[index] = item;

    public PdfArray Clone() => new(_items);

    public static PdfArray OfNumbers(params double[] values)
    {
        var a = new PdfArray(values.Length);
        foreach (var v in values) a.Add(v == Math.Floor(v) && Math.Abs(v) < 1e15 ? PdfInteger.Of((long)v) : new PdfReal(v));
        return a;
    }

    public IEnumerator<PdfObject> GetEnumerator() => _items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "[" + string.Join(" ", _items) + "]";
}
