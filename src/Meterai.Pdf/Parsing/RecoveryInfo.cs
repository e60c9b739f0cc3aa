namespace Meterai.Pdf.Parsing;

/// <summary>What the recovery scan of a damaged file found besides the objects themselves.</summary>
internal sealed class RecoveryInfo
{
    /// <summary>Why the file was opened in recovery mode.</summary>
    public required string Reason { get; init; }

    /// <summary>Objects whose winning definition is itself flawed (wrong /Length, no endobj): the increment rewrites them.</summary>
    public Dictionary<int, string> FlawedObjects { get; } = [];

    /// <summary>Numbers of page objects (/Type /Page), in file order, for rebuilding a lost page tree.</summary>
    public List<int> PageObjects { get; } = [];

    /// <summary>Numbers of catalog objects, in file order.</summary>
    public List<int> Catalogs { get; } = [];

    /// <summary>Whether any object looks like a signature dictionary (/ByteRange): such a file is not repaired.</summary>
    public bool HasSignature { get; set; }

    /// <summary>How many object numbers were defined more than once (the last definition wins).</summary>
    public int DuplicateDefinitions { get; set; }

    /// <summary>
    /// Numbers that recovered objects refer to but nothing defines (number → generation of the first reference), at
    /// most <see cref="MaxDanglingReferences"/>. A reader resolves them to null; the repair defines them as null,
    /// because poppler rebuilds a classic table whenever a reference lands on a number without an object.
    /// </summary>
    public SortedDictionary<int, int> DanglingReferences { get; } = [];

    public const int MaxDanglingReferences = 100_000;
}
