using System.Runtime.InteropServices;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Parsing;

internal enum XrefEntryType : byte
{
    Free,
    InFile,
    Compressed,
}

/// <summary>
/// One cross-reference entry (§7.5.4, §7.5.8.3). For <see cref="XrefEntryType.InFile"/>: byte offset and generation;
/// for <see cref="XrefEntryType.Compressed"/>: the object stream's number and the index inside it.
/// </summary>
/// <remarks>Auto layout puts the byte after the long and the int: 16 bytes, not 24, in every table of a file's entries.</remarks>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct XrefEntry(XrefEntryType Type, long Offset, int Generation)
{
    public long StreamNumber => Offset;

    public int IndexInStream => Generation;

    public static XrefEntry Free() => new(XrefEntryType.Free, 0, 0);

    public static XrefEntry InFile(long offset, int generation) => new(XrefEntryType.InFile, offset, generation);

    public static XrefEntry Compressed(long streamNumber, int index) => new(XrefEntryType.Compressed, streamNumber, index);
}

internal enum XrefSectionKind
{
    Table,
    Stream,
}

/// <summary>
/// One cross-reference section as written by one revision: its entries in the order read, its trailer, and for a
/// hybrid file the entries of the stream named by /XRefStm.
/// </summary>
internal sealed class XrefSection(long offset, XrefSectionKind kind, PdfDictionary trailer, List<(int Number, XrefEntry Entry)> entries)
{
    public long Offset { get; } = offset;

    public XrefSectionKind Kind { get; } = kind;

    public PdfDictionary Trailer { get; } = trailer;

    public List<(int Number, XrefEntry Entry)> Entries { get; } = entries;

    /// <summary>Entries of the hybrid file's /XRefStm stream, which classic-only readers skip.</summary>
    public List<(int Number, XrefEntry Entry)>? HybridEntries { get; set; }

    /// <summary>Object number of the cross-reference stream itself, for a stream section.</summary>
    public int StreamObjectNumber { get; init; }

    /// <summary>Object number of a hybrid section's /XRefStm stream.</summary>
    public int HybridStreamNumber { get; set; }

    public bool IsHybrid => HybridEntries is not null;
}

/// <summary>The merged view: for every object number, the entry of the newest section that mentions it.</summary>
internal sealed class CrossReference
{
    private readonly Dictionary<int, XrefEntry> _entries;

    public CrossReference(int capacity = 0) => _entries = new Dictionary<int, XrefEntry>(capacity);

    public int Count => _entries.Count;

    public IReadOnlyDictionary<int, XrefEntry> Entries => _entries;

    /// <summary>Highest object number in use (0 when none).</summary>
    public int MaxObjectNumber { get; private set; }

    public bool TryGet(int number, out XrefEntry entry) => _entries.TryGetValue(number, out entry);

    /// <summary>Adds an entry unless a newer section already decided about this object (sections arrive newest first).</summary>
    public void AddIfAbsent(int number, XrefEntry entry)
    {
        if (number <= 0) return;
        if (_entries.TryAdd(number, entry) && entry.Type != XrefEntryType.Free && number > MaxObjectNumber) MaxObjectNumber = number;
    }

    /// <summary>Sets an entry regardless of what was there (recovery: the last definition in the file wins).</summary>
    public void Set(int number, XrefEntry entry)
    {
        if (number <= 0) return;
        _entries[number] = entry;
        if (entry.Type != XrefEntryType.Free && number > MaxObjectNumber) MaxObjectNumber = number;
    }

    /// <summary>
    /// Merges one section: in-use entries first; for a hybrid section the /XRefStm entries next, since the table marks
    /// the compressed objects free for old readers (§7.5.8.4); the table's free entries last.
    /// </summary>
    public void Merge(XrefSection section)
    {
        foreach (var (n, e) in section.Entries)
        {
            if (e.Type != XrefEntryType.Free) AddIfAbsent(n, e);
        }

        if (section.HybridEntries is { } hybrid)
        {
            foreach (var (n, e) in hybrid) AddIfAbsent(n, e);
        }

        foreach (var (n, e) in section.Entries)
        {
            if (e.Type == XrefEntryType.Free) AddIfAbsent(n, e);
        }
    }
}
