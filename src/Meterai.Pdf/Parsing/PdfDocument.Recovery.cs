using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Parsing;

internal sealed partial class PdfDocument
{
    // Streams of a damaged file that have no "endstream": their data is cut at the next object (recovery only).
    private readonly Dictionary<int, long> _streamLengthOverrides = [];

    /// <summary>
    /// Opens a damaged file by scanning it for objects instead of trusting its cross-reference data: every
    /// "N G obj" is parsed (stream data skipped), the last definition of a number wins, object streams are unpacked,
    /// and the trailer is pieced together from every trailer and cross-reference stream dictionary found.
    /// </summary>
    public static PdfDocument OpenRecovered(ByteSource source, PdfLimits limits, string? password, string reason)
    {
        var doc = new PdfDocument(source, limits);
        doc.ReadHeader();
        var info = new RecoveryInfo { Reason = reason };
        doc.Recovery = info;

        var (headers, trailerPositions) = ObjectScanner.Scan(source, limits.MaxRecoveredObjects);
        // A provisional table (last header wins) lets indirect /Length values resolve while objects are parsed.
        var provisional = new CrossReference(headers.Count);
        foreach (var h in headers) provisional.Set(h.Number, XrefEntry.InFile(h.Offset, h.Generation));
        doc.Xref = provisional;

        var final = new CrossReference(headers.Count);
        var definedAt = new Dictionary<int, long>(headers.Count);
        var kinds = new Dictionary<int, string?>(headers.Count);
        var flaws = new Dictionary<int, string>();
        var trailers = new List<(long Position, PdfDictionary Dict, XrefSectionKind Kind)>();
        var objectStreams = new List<(int Number, long Offset)>();
        var referenced = new Dictionary<int, int>();
        long skipUntil = 0;
        for (var k = 0; k < headers.Count; k++)
        {
            var h = headers[k];
            WorkBudget.Tick();
            if (h.Offset < skipUntil) continue; // inside the data of the previous object's stream
            IndirectObject obj;
            try
            {
                obj = doc._reader.Read(h.Offset, doc.ResolveLength);
            }
            catch (Exception e) when (e is PdfDamageException or PdfFormatException)
            {
                continue; // unparsable: as if absent
            }

            var value = obj.Value;
            var end = obj.EndOffset;
            if (value is PdfStream st && end >= source.Length && obj.Anomaly is not null)
            {
                // No "endstream" anywhere after it: keep the data up to the next object or trailer, not to the end.
                var bound = NextBoundary(headers, k, trailerPositions, st.DataOffset, source.Length);
                var length = bound - st.DataOffset;
                doc._streamLengthOverrides[h.Number] = length;
                value = new PdfStream(st.Dictionary, st.DataOffset, length);
                end = bound;
            }

            skipUntil = end;
            if (definedAt.ContainsKey(h.Number)) info.DuplicateDefinitions++;
            definedAt[h.Number] = h.Offset;
            final.Set(h.Number, XrefEntry.InFile(h.Offset, h.Generation));
            if (obj.Anomaly is not null) flaws[h.Number] = obj.Anomaly;
            else flaws.Remove(h.Number);

            var dict = value switch { PdfDictionary d => d, PdfStream s => s.Dictionary, _ => null };
            kinds[h.Number] = Classify(dict, info);
            CollectReferences(value, referenced, 0);
            if (value is PdfStream { Dictionary: var sd })
            {
                if (sd["Type"] is PdfName { Value: "XRef" }) trailers.Add((h.Offset, sd, XrefSectionKind.Stream));
                else if (sd["Type"] is PdfName { Value: "ObjStm" }) objectStreams.Add((h.Number, h.Offset));
            }
        }

        foreach (var position in trailerPositions)
        {
            try
            {
                doc._parser.Seek(position + "trailer".Length);
                if (doc._parser.ParseObject() is PdfDictionary t) trailers.Add((position, t, XrefSectionKind.Table));
            }
            catch (PdfFormatException)
            {
                // an unreadable trailer contributes nothing
            }
        }

        // Later trailers describe later revisions: their keys win.
        trailers.Sort((a, b) => a.Position.CompareTo(b.Position));
        var trailer = new PdfDictionary();
        foreach (var (_, t, kind) in trailers)
        {
            foreach (var (key, v) in t.Entries)
            {
                if (!IsSectionKey(key, kind) && key != "Size") trailer.Set(key, v);
            }
        }

        doc.Xref = final;
        doc.Trailer = trailer;
        doc._cache.Clear();
        info.FlawedObjects.Clear();
        doc.OpenSecurity(password);
        doc._cache.Clear();

        foreach (var (number, offset) in objectStreams)
        {
            if (definedAt.GetValueOrDefault(number) != offset) continue; // superseded by a later definition
            ObjectStreamContent content;
            try
            {
                content = doc.LoadObjectStream(number);
            }
            catch (Exception e) when (e is PdfDamageException or PdfFormatException)
            {
                continue;
            }

            for (var i = 0; i < content.Count; i++)
            {
                var member = content.Members[i].Number;
                if (definedAt.TryGetValue(member, out var at) && at > offset) continue;
                definedAt[member] = offset;
                final.Set(member, XrefEntry.Compressed(number, i));
                flaws.Remove(member);
                try
                {
                    var memberValue = content.ParseAt(i);
                    kinds[member] = Classify(memberValue as PdfDictionary, info);
                    CollectReferences(memberValue, referenced, 0);
                }
                catch (PdfFormatException)
                {
                    kinds[member] = null;
                }
            }
        }

        foreach (var (number, flaw) in flaws)
        {
            if (final.TryGet(number, out var e) && e.Type == XrefEntryType.InFile) info.FlawedObjects[number] = flaw;
        }

        foreach (var (number, _) in definedAt.OrderBy(d => d.Value))
        {
            if (kinds.GetValueOrDefault(number) == "Page") info.PageObjects.Add(number);
            else if (kinds.GetValueOrDefault(number) == "Catalog") info.Catalogs.Add(number);
        }

        foreach (var (number, generation) in referenced)
        {
            if (number <= 0 || final.TryGet(number, out var e) && e.Type != XrefEntryType.Free) continue;
            if (info.DanglingReferences.Count >= RecoveryInfo.MaxDanglingReferences) break;
            info.DanglingReferences[number] = generation;
        }

        doc.FixRoot(info);
        return doc;
    }

    /// <summary>Every object number <paramref name="value"/> refers to (the generation of its first reference).</summary>
    private static void CollectReferences(PdfObject value, Dictionary<int, int> referenced, int depth)
    {
        // The parser already bounds nesting; the walk follows it and stops at the same depth.
        if (depth > 64) return;
        switch (value)
        {
            case PdfReference r:
                referenced.TryAdd(r.Id.Number, r.Id.Generation);
                break;
            case PdfArray a:
                foreach (var item in a) CollectReferences(item, referenced, depth + 1);
                break;
            case PdfDictionary d:
                foreach (var (_, item) in d.Entries) CollectReferences(item, referenced, depth + 1);
                break;
            case PdfStream s:
                CollectReferences(s.Dictionary, referenced, depth + 1);
                break;
        }
    }

    private static string? Classify(PdfDictionary? dict, RecoveryInfo info)
    {
        if (dict is null) return null;
        var type = dict["Type"] as PdfName;
        if (dict.ContainsKey("ByteRange") || type?.Value is "Sig" or "DocTimeStamp") info.HasSignature = true;
        return type?.Value switch
        {
            "Page" => "Page",
            "Catalog" => "Catalog",
            _ => null,
        };
    }

    private static long NextBoundary(List<ObjectScanner.Header> headers, int k, List<long> trailers, long from, long fileLength)
    {
        var bound = fileLength;
        for (var j = k + 1; j < headers.Count; j++)
        {
            if (headers[j].Offset > from)
            {
                bound = headers[j].Offset;
                break;
            }
        }

        foreach (var t in trailers)
        {
            if (t > from && t < bound) bound = t;
        }

        return bound;
    }

    /// <summary>Keeps /Root when it names a catalog; otherwise points it at the last catalog found.</summary>
    private void FixRoot(RecoveryInfo info)
    {
        try
        {
            if (ResolveDictionary(Trailer["Root"]) is { } root && (root["Type"] is PdfName { Value: "Catalog" } || root.ContainsKey("Pages"))) return;
        }
        catch (PdfFormatException)
        {
            // fall through to the scan's candidates
        }

        Trailer.Remove("Root");
        if (info.Catalogs.Count > 0)
        {
            var number = info.Catalogs[^1];
            Trailer.Set("Root", new PdfReference(number, GenerationOf(number)));
        }
    }

    /// <summary>Whether object <paramref name="number"/> is a stream that the file cuts short (no "endstream").</summary>
    public bool IsTruncatedStream(int number) => _streamLengthOverrides.ContainsKey(number);

    /// <summary>Recovery only: the length a stream without "endstream" was cut to.</summary>
    private PdfObject ApplyLengthOverride(int number, PdfObject value) =>
        value is PdfStream s && _streamLengthOverrides.TryGetValue(number, out var length) ? new PdfStream(s.Dictionary, s.DataOffset, length) : value;
}
