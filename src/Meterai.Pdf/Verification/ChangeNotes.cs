namespace Meterai.Pdf.Verification;

/// <summary>
/// What the difference analysis found, for people, bounded: the first <c>keep</c> notes (<see cref="PdfLimits.MaxChangeNotes"/>)
/// and a count of all of them (<see cref="SignatureReport.ChangeNoteCount"/>), so that a file rewriting thousands of objects yields a short answer, not one line per
/// object (a note for each, for each signature, was a 79 MB answer).
/// </summary>
internal sealed class ChangeNotes(int keep)
{
    private readonly int _keep = Math.Max(1, keep);
    private readonly List<string> _notes = [];

    /// <summary>Every note added, kept or not.</summary>
    public int Count { get; private set; }

    public void Add(string note)
    {
        Count++;
        if (_notes.Count < _keep) _notes.Add(note);
    }

    /// <summary>The notes kept (at most <c>keep</c>); <see cref="Count"/> says how many there were.</summary>
    public IReadOnlyList<string> ToList() => [.. _notes];
}
