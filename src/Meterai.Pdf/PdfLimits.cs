namespace Meterai.Pdf;

/// <summary>
/// Bounds on everything a hostile file could make the engine do. Every loop over file data and every allocation sized
/// by file data is checked against one of these, so a crafted file costs at most a bounded amount of time and memory.
/// </summary>
public sealed record PdfLimits
{
    public static readonly PdfLimits Default = new();

    /// <summary>Largest input accepted (bytes).</summary>
    public long MaxInputBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Deepest nesting of arrays and dictionaries inside one object.</summary>
    public int MaxNestingDepth { get; init; } = 64;

    /// <summary>Largest single token or non-stream object (bytes); a string longer than this is refused.</summary>
    public int MaxObjectBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>Largest decoded object stream or cross-reference stream (bytes): the decompression-bomb bound.</summary>
    public int MaxDecodedStreamBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Most cross-reference sections followed through /Prev and /XRefStm.</summary>
    public int MaxXrefSections { get; init; } = 1024;

    /// <summary>Highest object number accepted (the PDF 1.7 implementation limit is 8,388,607).</summary>
    public int MaxObjectNumber { get; init; } = 8_388_607;

    /// <summary>Most objects an object stream may declare.</summary>
    public int MaxObjectsPerStream { get; init; } = 100_000;

    /// <summary>Longest chain of references resolved to reach one value (catches "1 0 obj 2 0 R" loops).</summary>
    public int MaxReferenceChain { get; init; } = 32;

    /// <summary>Deepest page tree and most page-tree nodes visited.</summary>
    public int MaxPageTreeDepth { get; init; } = 64;

    public int MaxPageTreeNodes { get; init; } = 200_000;

    /// <summary>Most form fields (and kids) visited when looking for signatures.</summary>
    public int MaxFormFields { get; init; } = 100_000;

    /// <summary>Most objects a damaged file's recovery scan may find.</summary>
    public int MaxRecoveredObjects { get; init; } = 2_000_000;

    /// <summary>Most notes kept about what changed after one signature; the rest are only counted.</summary>
    public int MaxChangeNotes { get; init; } = 20;

    /// <summary>
    /// Most processor time one operation (a verification, a stamp's preparation) may use on its thread; zero: no bound.
    /// The bounds above each hold a part of the work; this one holds their product (see <see cref="Budget.WorkBudget"/>).
    /// </summary>
    public TimeSpan MaxCpuTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Most managed memory one operation may allocate (bytes; an upper bound on what it holds); zero: no bound.</summary>
    public long MaxAllocatedBytes { get; init; } = 256L * 1024 * 1024;
}
