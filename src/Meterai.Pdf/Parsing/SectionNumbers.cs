namespace Meterai.Pdf.Parsing;

/// <summary>
/// The object numbers one cross-reference section has listed so far, to find one listed twice. A section lists
/// numbers in ranges (table subsections, a stream's /Index pairs), consecutive within a range, so a number repeats
/// exactly when an earlier range holds it: the ranges are kept instead of a set of every number (which was a good
/// part of what opening a file allocated). Past a few ranges it falls back to a set, so a file of many tiny
/// subsections costs no more than before.
/// </summary>
internal sealed class SectionNumbers
{
    private const int MaxRanges = 8;

    private readonly List<(long First, long Count)> _closed = new(2);
    private HashSet<int>? _set;
    private long _first;
    private long _count;

    /// <summary>Starts the next range at <paramref name="first"/>; the numbers added next are first, first + 1, ….</summary>
    public void StartRange(long first)
    {
        if (_count > 0) Close();
        _first = first;
        _count = 0;
    }

    /// <summary>Adds the next number of the current range; false when the section already listed it.</summary>
    public bool Add(int number)
    {
        _count++;
        if (_set is not null) return _set.Add(number);
        foreach (var (first, count) in _closed)
        {
            if (number >= first && number < first + count) return false;
        }

        return true;
    }

    private void Close()
    {
        if (_set is not null) return; // the current range's numbers went into the set as they were added
        if (_closed.Count < MaxRanges)
        {
            _closed.Add((_first, _count));
            return;
        }

        _set = [];
        foreach (var (first, count) in _closed) AddRange(first, count);
        AddRange(_first, _count);
    }

    private void AddRange(long first, long count)
    {
        for (var n = first; n < first + count; n++) _set!.Add((int)n);
    }
}
