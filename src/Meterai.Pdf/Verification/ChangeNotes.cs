namespace Meterai.Pdf.Verification;

/// <summary>
/// What the difference analysis found, for people, bounded: the first <see cref="Max"/> notes and a count of the rest,
/// so that a file rewriting thousands of objects yields a short answer, not one line per object.
/// </summary>
internal sealed class ChangeNotes
{
    public const int Max = 20;

    private readonly List<string> _notes = [];
    private int _more;

    public int Count => _notes.Count + _more;

    public void Add(string note)
    {
        if (_notes.Count < Max) _notes.Add(note);
        else _more++;
    }

    public IReadOnlyList<string> ToList() => _more == 0 ? [.. _notes] : [.. _notes, $"… and {_more} more"];
}
