using System.Collections;

namespace Meterai.Pdf.Verification;

/// <summary>
/// The notes of one difference analysis: the first few kept as written, all of them counted. A later section can
/// rewrite twenty thousand objects, and a note for each, for each signature, was a 79 MB answer.
/// </summary>
internal sealed class ChangeNotes(int keep) : IReadOnlyList<string>
{
    private readonly int _keep = Math.Max(1, keep);
    private readonly List<string> _kept = [];

    /// <summary>Every note added, kept or not.</summary>
    public int Total { get; private set; }

    public int Count => _kept.Count;

    public string this[int index] => _kept[index];

    public void Add(string note)
    {
        Total++;
        if (_kept.Count < _keep) _kept.Add(note);
    }

    public IEnumerator<string> GetEnumerator() => _kept.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
