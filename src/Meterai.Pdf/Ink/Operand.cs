namespace Meterai.Pdf.Ink;

internal enum OperandKind
{
    Number,
    Name,
    String,
    Array,
    Other,
}

/// <summary>One operand of a content-stream operator.</summary>
internal readonly record struct Operand(OperandKind Kind, double Number, string? Name, byte[]? Bytes, List<Operand>? Items)
{
    public static Operand Of(double value) => new(OperandKind.Number, value, null, null, null);
}
