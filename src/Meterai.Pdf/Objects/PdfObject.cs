namespace Meterai.Pdf.Objects;

/// <summary>
/// A PDF object (ISO 32000-1 §7.3). The engine reads only the few objects stamping needs, so the model stays small:
/// values are plain classes, strings hold raw (already decrypted) bytes, and a stream knows where its data lies in
/// the file instead of holding it.
/// </summary>
public abstract class PdfObject
{
    private protected PdfObject()
    {
    }
}

/// <summary>The null object. Also what a reference to a missing object resolves to (§7.3.10).</summary>
public sealed class PdfNull : PdfObject
{
    public static readonly PdfNull Instance = new();

    private PdfNull()
    {
    }

    public override string ToString() => "null";
}

public sealed class PdfBoolean : PdfObject
{
    public static readonly PdfBoolean True = new(true);
    public static readonly PdfBoolean False = new(false);

    private PdfBoolean(bool value) => Value = value;

    public bool Value { get; }

    public static PdfBoolean Of(bool value) => value ? True : False;

    public override string ToString() => Value ? "true" : "false";
}

public sealed class PdfInteger(long value) : PdfObject
{
    private static readonly PdfInteger[] Small = Enumerable.Range(0, 256).Select(i => new PdfInteger(i)).ToArray();

    public long Value { get; } = value;

    /// <summary>Shares instances of small values, which dominate xref streams, /W arrays and page trees.</summary>
    public static PdfInteger Of(long value) => value is >= 0 and < 256 ? Small[value] : new PdfInteger(value);

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class PdfReal(double value) : PdfObject
{
    public double Value { get; } = value;

    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
