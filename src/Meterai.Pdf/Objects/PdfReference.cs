namespace Meterai.Pdf.Objects;

/// <summary>The identity of an indirect object: object number and generation (§7.3.10).</summary>
public readonly record struct ObjectId(int Number, int Generation)
{
    public override string ToString() => $"{Number} {Generation}";
}

/// <summary>An indirect reference "N G R".</summary>
public sealed class PdfReference(ObjectId id) : PdfObject, IEquatable<PdfReference>
{
    public PdfReference(int number, int generation)
        : this(new ObjectId(number, generation))
    {
    }

    public ObjectId Id { get; } = id;

    public bool Equals(PdfReference? other) => other is not null && other.Id == Id;

    public override bool Equals(object? obj) => obj is PdfReference r && Equals(r);

    public override int GetHashCode() => Id.GetHashCode();

    public override string ToString() => $"{Id.Number} {Id.Generation} R";
}
