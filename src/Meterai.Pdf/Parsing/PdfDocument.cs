using Meterai.Pdf.Budget;
using Meterai.Pdf.Encryption;
using Meterai.Pdf.Filters;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Parsing;

/// <summary>
/// An opened PDF: its cross-reference data, trailer and security handler, and lazy, cached access to objects by
/// number. Opening reads the tail and the cross-reference sections only; an object is parsed the first time it is
/// asked for. Not thread-safe: one document per request.
/// </summary>
internal sealed partial class PdfDocument
{
    private readonly Lexer _lexer;
    private readonly ObjectParser _parser;
    private readonly IndirectObjectReader _reader;
    private readonly Dictionary<int, PdfObject> _cache = [];
    private readonly Dictionary<int, ObjectStreamContent> _objectStreams = [];
    private readonly HashSet<int> _resolving = [];

    private PdfDocument(ByteSource source, PdfLimits limits)
    {
        Source = source;
        Limits = limits;
        _lexer = new Lexer(source, limits.MaxObjectBytes);
        _parser = new ObjectParser(_lexer, limits);
        _reader = new IndirectObjectReader(_parser);
        Xref = new CrossReference();
        Trailer = new PdfDictionary();
    }

    public ByteSource Source { get; }

    public PdfLimits Limits { get; }

    public long Length => Source.Length;

    /// <summary>The version in the header ("1.7"), or null when the header has none readable.</summary>
    public string? HeaderVersion { get; private set; }

    public CrossReference Xref { get; private set; }

    /// <summary>Cross-reference sections newest first (empty for a recovered file).</summary>
    public IReadOnlyList<XrefSection> Sections { get; private set; } = [];

    /// <summary>The trailer: the newest section's keys, completed by older sections' keys it lacks.</summary>
    public PdfDictionary Trailer { get; private set; }

    /// <summary>Offset of the newest cross-reference section (what startxref names), or -1 for a recovered file.</summary>
    public long StartXref { get; private set; } = -1;

    public RecoveryInfo? Recovery { get; private set; }

    public bool IsRecovered => Recovery is not null;

    public SecurityHandler? Security { get; private set; }

    /// <summary>Number of the /Encrypt dictionary object (its strings are never encrypted), or 0.</summary>
    public int EncryptObjectNumber { get; private set; }

    /// <summary>The last byte of the file (-1 when empty): the writer starts the increment on a new line.</summary>
    public int LastByte { get; private set; } = -1;

    /// <summary>Opens a file through its cross-reference data. Throws <see cref="PdfDamageException"/> when that data does not match the file.</summary>
    public static PdfDocument Open(ByteSource source, PdfLimits limits, string? password)
    {
        var doc = new PdfDocument(source, limits);
        doc.ReadHeader();
        try
        {
            var startxref = StartXrefLocator.Find(source, doc._lexer, out _) ?? throw new PdfDamageException("startxref is missing or names no offset");
            var sections = new XrefReader(source, doc._parser, doc._reader, limits).ReadChain(startxref);
            var xref = new CrossReference(sections.Count == 0 ? 0 : sections[0].Entries.Count);
            var trailer = new PdfDictionary();
            foreach (var section in sections)
            {
                xref.Merge(section);
                foreach (var (key, value) in section.Trailer.Entries)
                {
                    if (!trailer.ContainsKey(key) && !IsSectionKey(key, section.Kind)) trailer.Set(key, value);
                }
            }

            doc.Xref = xref;
            doc.Sections = sections;
            doc.Trailer = trailer;
            doc.StartXref = startxref;
            doc.ValidateOffsets();
        }
        catch (PdfFormatException e) when (e.Code == PdfErrorCodes.Malformed)
        {
            throw new PdfDamageException(e.Message);
        }

        doc.OpenSecurity(password);
        return doc;
    }

    /// <summary>Keys that describe one cross-reference section rather than the document; never carried over.</summary>
    public static bool IsSectionKey(string key, XrefSectionKind kind) => key switch
    {
        "Prev" or "XRefStm" => true,
        "Type" or "W" or "Index" or "Length" or "Filter" or "DecodeParms" or "F" or "FFilter" or "FDecodeParms" or "DL" => kind == XrefSectionKind.Stream,
        _ => false,
    };

    private void ReadHeader()
    {
        Span<byte> head = stackalloc byte[1024];
        var n = Source.ReadAt(0, head);
        var i = head[..n].IndexOf("%PDF-"u8);
        if (i < 0) throw new PdfFormatException(PdfErrorCodes.NotAPdf, "the file is not a PDF (no %PDF- header)");
        var v = i + 5;
        var end = v;
        while (end < n && (head[end] is >= (byte)'0' and <= (byte)'9' || head[end] == '.')) end++;
        HeaderVersion = end > v ? System.Text.Encoding.ASCII.GetString(head[v..end]) : null;
        if (Source.Length > 0)
        {
            Span<byte> last = stackalloc byte[1];
            LastByte = Source.ReadAt(Source.Length - 1, last) == 1 ? last[0] : -1;
        }
    }

    /// <summary>
    /// Checks that every in-use entry points at the header of the object it names: the only way to notice a broken
    /// table without parsing every object. Reads a few bytes per object; in place when the file is in memory.
    /// </summary>
    private void ValidateOffsets()
    {
        // Cross-reference streams are found through startxref, /Prev and /XRefStm, never through their own entry, which
        // some writers get wrong; every reader ignores it, and so does this check.
        var xrefStreams = new HashSet<int>();
        foreach (var section in Sections)
        {
            if (section.StreamObjectNumber > 0) xrefStreams.Add(section.StreamObjectNumber);
            if (section.HybridStreamNumber > 0) xrefStreams.Add(section.HybridStreamNumber);
        }

        IEnumerable<KeyValuePair<int, XrefEntry>> entries = Xref.Entries;
        if (!Source.IsInMemory) entries = entries.OrderBy(e => e.Value.Offset);
        foreach (var (number, entry) in entries)
        {
            WorkBudget.Tick();
            if (entry.Type == XrefEntryType.InFile && xrefStreams.Contains(number)) continue;
            if (entry.Type == XrefEntryType.InFile)
            {
                if (!_reader.TryReadHeader(entry.Offset, out var id, out _) || id.Number != number || id.Generation != entry.Generation)
                {
                    throw new PdfDamageException($"the cross-reference entry of object {number} does not point at it (offset {entry.Offset})");
                }
            }
            else if (entry.Type == XrefEntryType.Compressed)
            {
                if (!Xref.TryGet((int)entry.StreamNumber, out var container) || container.Type != XrefEntryType.InFile)
                {
                    throw new PdfDamageException($"object {number} lies in object stream {entry.StreamNumber}, which does not exist");
                }
            }
        }
    }

    private void OpenSecurity(string? password)
    {
        var encryptRef = Trailer["Encrypt"];
        if (encryptRef is null) return;
        if (encryptRef is PdfReference r) EncryptObjectNumber = r.Id.Number;
        // The /Encrypt dictionary is read before any key exists, so its strings stay as written — as they must.
        if (Resolve(encryptRef) is not PdfDictionary encrypt) throw new PdfFormatException(PdfErrorCodes.Malformed, "the /Encrypt entry is not a dictionary");
        var id0 = Resolve(Trailer["ID"]) is PdfArray { Count: > 0 } ids && Resolve(ids[0]) is PdfString s ? s.Bytes : [];
        Security = SecurityHandler.Open(encrypt, id0, password, Resolve);
    }

    /// <summary>Follows references until a direct object (null for missing objects and loops).</summary>
    public PdfObject Resolve(PdfObject? obj)
    {
        for (var i = 0; i < Limits.MaxReferenceChain; i++)
        {
            if (obj is not PdfReference r) return obj ?? PdfNull.Instance;
            obj = GetObject(r);
        }

        throw PdfFormatException.Limit("a chain of references is too long (or loops)");
    }

    public PdfDictionary? ResolveDictionary(PdfObject? obj) => Resolve(obj) switch
    {
        PdfDictionary d => d,
        PdfStream s => s.Dictionary,
        _ => null,
    };

    /// <summary>The object a reference names, or null when the entry is free, missing or of another generation.</summary>
    public PdfObject GetObject(PdfReference reference)
    {
        var number = reference.Id.Number;
        if (!Xref.TryGet(number, out var entry) || entry.Type == XrefEntryType.Free) return PdfNull.Instance;
        if (entry.Type == XrefEntryType.InFile && entry.Generation != reference.Id.Generation) return PdfNull.Instance;
        if (entry.Type == XrefEntryType.Compressed && reference.Id.Generation != 0) return PdfNull.Instance;
        return GetObject(number);
    }

    /// <summary>The current definition of object <paramref name="number"/>.</summary>
    public PdfObject GetObject(int number)
    {
        if (_cache.TryGetValue(number, out var cached)) return cached;
        if (!Xref.TryGet(number, out var entry) || entry.Type == XrefEntryType.Free) return PdfNull.Instance;
        if (!_resolving.Add(number)) return PdfNull.Instance; // a /Length that leads back to its own stream
        try
        {
            var value = entry.Type == XrefEntryType.InFile ? ReadInFile(number, entry) : ReadCompressed(number, entry);
            _cache[number] = value;
            return value;
        }
        catch (PdfFormatException e) when (e.Code == PdfErrorCodes.Malformed && !IsRecovered)
        {
            throw new PdfDamageException($"object {number}: {e.Message}");
        }
        finally
        {
            _resolving.Remove(number);
        }
    }

    /// <summary>The generation of the current definition of an object (0 for compressed objects and unknown ones).</summary>
    public int GenerationOf(int number) => Xref.TryGet(number, out var e) && e.Type == XrefEntryType.InFile ? e.Generation : 0;

    /// <summary>Whether object <paramref name="number"/> lives inside an object stream.</summary>
    public bool IsCompressed(int number) => Xref.TryGet(number, out var e) && e.Type == XrefEntryType.Compressed;

    private PdfObject ReadInFile(int number, XrefEntry entry)
    {
        var obj = _reader.Read(entry.Offset, ResolveLength);
        if (obj.Id.Number != number) throw new PdfDamageException($"object {number} is not where the cross-reference data says");
        if (obj.Anomaly is not null && !IsRecovered) throw new PdfDamageException(obj.Anomaly);
        var value = IsRecovered ? ApplyLengthOverride(number, obj.Value) : obj.Value;
        if (Security is not null && number != EncryptObjectNumber) value = DecryptStrings(value, obj.Id, 0);
        if (IsRecovered && obj.Anomaly is not null) Recovery!.FlawedObjects.TryAdd(number, obj.Anomaly);
        return value;
    }

    private long? ResolveLength(PdfReference reference) => Resolve(reference) switch
    {
        PdfInteger i => i.Value,
        PdfReal r => (long)r.Value,
        _ => null,
    };

    private PdfObject ReadCompressed(int number, XrefEntry entry)
    {
        var container = LoadObjectStream((int)entry.StreamNumber);
        // Members of an object stream are not encrypted one by one: the stream was decrypted as a whole (§7.6.2).
        return container.Get(entry.IndexInStream, number);
    }

    private ObjectStreamContent LoadObjectStream(int streamNumber)
    {
        if (_objectStreams.TryGetValue(streamNumber, out var content)) return content;
        if (!Xref.TryGet(streamNumber, out var e) || e.Type != XrefEntryType.InFile) throw new PdfDamageException($"object stream {streamNumber} does not exist");
        if (GetObject(streamNumber) is not PdfStream stream) throw new PdfDamageException($"object {streamNumber} is not an object stream");
        var data = DecodeStream(stream, new ObjectId(streamNumber, e.Generation));
        content = ObjectStreamContent.Parse(stream.Dictionary, data, Limits);
        _objectStreams[streamNumber] = content;
        return content;
    }

    /// <summary>Raw data of a stream read from the file, decrypted but not decoded.</summary>
    public byte[] ReadRawStream(PdfStream stream, ObjectId id)
    {
        if (!stream.InFile) return stream.EncodedData!.Value.ToArray();
        if (stream.Length > Limits.MaxDecodedStreamBytes) throw PdfFormatException.Limit($"a stream is larger than {Limits.MaxDecodedStreamBytes} bytes");
        var raw = new byte[stream.Length];
        var n = Source.ReadAt(stream.DataOffset, raw);
        if (n < raw.Length) raw = raw[..n];
        if (Security is not null && stream.Dictionary["Type"] is not PdfName { Value: "XRef" }) raw = Security.DecryptStream(id, raw);
        return raw;
    }

    /// <summary>Decrypted and decoded data of an object or cross-reference stream (bounded).</summary>
    public byte[] DecodeStream(PdfStream stream, ObjectId id)
    {
        var raw = ReadRawStream(stream, id);
        try
        {
            return StreamDecoder.Decode(stream.Dictionary, raw, Limits.MaxDecodedStreamBytes, o => Resolve(o));
        }
        catch (PdfFormatException ex) when (ex.Code == PdfErrorCodes.Malformed && !IsRecovered)
        {
            throw new PdfDamageException(ex.Message);
        }
    }

    /// <summary>
    /// Replaces every string by its decryption with the object's key. The /Contents of a signature dictionary is never
    /// encrypted (ISO 32000-2 §7.6.2), nor is anything in a cross-reference stream's dictionary.
    /// </summary>
    private PdfObject DecryptStrings(PdfObject value, ObjectId id, int depth)
    {
        var security = Security!;
        switch (value)
        {
            case PdfString s:
                return security.EncryptsStrings ? new PdfString(security.DecryptString(id, s.Bytes), s.IsHex) : s;
            case PdfArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is PdfString or PdfArray or PdfDictionary) a.SetAt(i, DecryptStrings(a[i], id, depth + 1));
                }

                return a;
            case PdfDictionary d:
                if (depth == 0 && d["Type"] is PdfName { Value: "XRef" }) return d;
                var isSignature = d.ContainsKey("ByteRange");
                foreach (var key in d.Keys.ToArray())
                {
                    if (isSignature && key == "Contents") continue;
                    var v = d[key]!;
                    if (v is PdfString or PdfArray or PdfDictionary) d.Set(key, DecryptStrings(v, id, depth + 1));
                }

                return d;
            case PdfStream st:
                DecryptStrings(st.Dictionary, id, depth);
                return st;
            default:
                return value;
        }
    }
}
