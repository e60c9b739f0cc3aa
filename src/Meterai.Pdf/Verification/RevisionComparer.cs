using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Verification;

/// <summary>What the revisions after one signature did, and which later signatures that verdict leans on.</summary>
/// <param name="LaterSignatures">Later signature fields that show something on a page, with the last byte offset of
/// what they show: harmless only if a valid signature of that field covers that offset (<see cref="LaterSignatureCoverage"/>).</param>
/// <param name="NoteCount">Every change noted, the ones left out of <paramref name="Notes"/> included.</param>
internal sealed record RevisionComparison(ModificationLevel Level, IReadOnlyList<string> Notes, IReadOnlyList<SignatureCoverage> LaterSignatures, int NoteCount = 0)
{
    public static RevisionComparison Changed(string note) => new(ModificationLevel.Changed, [note], [], 1);
}

/// <param name="Field">Object number of the later signature field.</param>
/// <param name="LastOffset">Start of the last object its appearance needs that only it explains.</param>
internal readonly record struct SignatureCoverage(int Field, long LastOffset);

/// <summary>
/// Decides what the revisions after a signature changed. The signed revision is opened on its own (the file cut where
/// the signature's byte range ends); every object number whose cross-reference entry differs between it and the final
/// file is a written object, and each must be explained: an identical rewrite, an object nothing reaches, a new object
/// or cross-reference stream, or an object reached only through an allowed place (<see cref="AllowedPlace"/>); a
/// rewritten catalog, form, page or empty signature field must pass its <see cref="StructureRules"/>. Anything else is
/// a change, with a note naming the object. One instance per opened file: comparisons are kept per revision end, so
/// signatures sharing one revision are compared once.
/// </summary>
internal sealed class RevisionComparer(PdfDocument final, string? password)
{
    private const int MaxComparedObjects = 20_000;

    private readonly Dictionary<long, RevisionComparison> _byEnd = [];

    public RevisionComparison Compare(long revisionEnd)
    {
        if (_byEnd.TryGetValue(revisionEnd, out var known)) return known;
        RevisionComparison result;
        try
        {
            result = CompareUncached(revisionEnd);
        }
        catch (Exception e) when (e is PdfDamageException or PdfFormatException)
        {
            result = RevisionComparison.Changed($"a later revision cannot be analysed ({e.Message})");
        }

        return _byEnd[revisionEnd] = result;
    }

    private RevisionComparison CompareUncached(long revisionEnd)
    {
        if (revisionEnd >= final.Length) return new RevisionComparison(ModificationLevel.None, [], []);
        if (final.IsRecovered) return RevisionComparison.Changed("the file's cross-reference data is damaged: later revisions cannot be told apart");
        var later = final.Sections.Where(s => s.Offset >= revisionEnd).ToList();
        if (later.Count == 0)
        {
            return OnlyWhitespaceAfter(revisionEnd)
                ? new RevisionComparison(ModificationLevel.None, [], [])
                : new RevisionComparison(ModificationLevel.Harmless, [$"{final.Length - revisionEnd} bytes follow the signed revision but no reader uses them"], []);
        }

        PdfDocument signed;
        try
        {
            signed = PdfDocument.Open(new PrefixByteSource(final.Source, revisionEnd), final.Limits, password);
        }
        catch (Exception e) when (e is PdfDamageException or PdfFormatException)
        {
            return RevisionComparison.Changed($"the signed revision cannot be read on its own ({e.Message})");
        }

        if (!SameReference(signed.Trailer["Root"], final.Trailer["Root"]) || !SameReference(signed.Trailer["Encrypt"], final.Trailer["Encrypt"]))
        {
            return RevisionComparison.Changed("the trailer names another catalog or encryption");
        }

        var written = Written(signed);
        if (written.Count > MaxComparedObjects) return RevisionComparison.Changed($"later revisions rewrite more than {MaxComparedObjects} objects");

        var xrefStreams = later.SelectMany(s => new[] { s.StreamObjectNumber, s.HybridStreamNumber }).Where(n => n > 0).ToHashSet();
        var compare = new ObjectComparison(signed, final);
        var rules = new StructureRules(signed, final, compare, written);
        var walk = DocumentWalk.Run(final, rules);
        var judge = new WrittenObjectJudge(signed, final, compare, rules, walk, written, xrefStreams);

        var notes = new ChangeNotes(final.Limits.MaxChangeNotes);
        foreach (var n in written.Order())
        {
            WorkBudget.Tick();
            if (judge.Problem(n) is { } problem) notes.Add(problem);
        }

        var coverage = rules.VisibleSignatureFields.Select(f => new SignatureCoverage(f, judge.LastOffsetOf(f))).ToList();
        return new RevisionComparison(notes.Count == 0 ? ModificationLevel.Harmless : ModificationLevel.Changed, notes.ToList(), coverage, notes.Count);
    }

    /// <summary>Every object number whose entry differs between the signed revision and the final file (written, freed or lost).</summary>
    private HashSet<int> Written(PdfDocument signed)
    {
        var written = new HashSet<int>();
        foreach (var (n, entry) in final.Xref.Entries)
        {
            WorkBudget.Tick();
            if (!signed.Xref.TryGet(n, out var before) || before != entry) written.Add(n);
        }

        foreach (var (n, _) in signed.Xref.Entries)
        {
            if (!final.Xref.TryGet(n, out _)) written.Add(n);
        }

        return written;
    }

    private bool OnlyWhitespaceAfter(long from)
    {
        Span<byte> buffer = stackalloc byte[4096];
        for (var at = from; at < final.Length; at += buffer.Length)
        {
            var n = final.Source.ReadAt(at, buffer);
            foreach (var b in buffer[..n])
            {
                if (!Lexer.IsWhitespace(b)) return false;
            }

            if (n == 0) break;
        }

        return true;
    }

    private static bool SameReference(PdfObject? a, PdfObject? b) => (a, b) switch
    {
        (null, null) => true,
        (PdfReference x, PdfReference y) => x.Id == y.Id,
        _ => false,
    };
}
