namespace Meterai.Pdf.Appearance;

/// <summary>How the QR code and the panel share the stamp.</summary>
public enum StampArrangement
{
    /// <summary>Square: the QR code is the frame and the panel sits in a hole in its middle (the specimen's look).</summary>
    Framed,

    /// <summary>Wide: the QR code square at the left, the panel to its right.</summary>
    Beside,

    /// <summary>Tall (or a square whose QR version has an alignment pattern in the middle): QR code above, panel below.</summary>
    Stacked,
}

/// <summary>A line of text: its size, where its baseline starts, and its colour.</summary>
public readonly record struct StampTextRun(string Text, double Size, double X, double Baseline, StampColour Colour);

/// <summary>The serial's line for one serial: centred, or condensed to <see cref="HorizontalScale"/> % when wider than its column.</summary>
public readonly record struct StampSerialRun(double X, double Size, double Baseline, double HorizontalScale, StampColour Colour);

/// <summary>Modules left undrawn under the panel, in drawn-module coordinates (column from the left, row from the top).</summary>
public readonly record struct QrHole(int Column, int Row, int Columns, int Rows)
{
    public bool Contains(int column, int row) => column >= Column && column < Column + Columns && row >= Row && row < Row + Rows;
}

/// <summary>The panel: a rounded rectangle, filled and outlined.</summary>
public readonly record struct StampPanel(StampBox Box, double Radius, StampColour Fill, StampColour Border, double BorderWidth);

/// <summary>
/// The stamp as a device-independent drawing, laid out once per size and QR module count: a paper background, the
/// QR square (its modules come per stamp), the panel, the emblem, the fixed lines and the serial's slot. Backends
/// (the PDF content stream, a raster) paint exactly these primitives, in this order. Immutable and shared between
/// threads through <see cref="StampLayoutCache"/>; only the serial and the QR modules differ from stamp to stamp.
/// </summary>
public sealed class StampLayout
{
    private readonly StampTextMetrics _metrics;
    private readonly StampBox _serialColumn;

    internal StampLayout(
        double width,
        double height,
        StampArrangement arrangement,
        (StampBox Box, int Modules, QrHole Hole) qr,
        StampPanel panel,
        (StampBox Emblem, StampEmblem Shapes) emblem,
        IReadOnlyList<StampTextRun> lines,
        (StampBox Column, double Size, double Baseline) serial,
        StampTextMetrics metrics)
    {
        Width = width;
        Height = height;
        Arrangement = arrangement;
        Qr = qr.Box;
        QrModules = qr.Modules;
        Hole = qr.Hole;
        Panel = panel;
        EmblemBox = emblem.Emblem;
        Emblem = emblem.Shapes;
        Lines = lines;
        _serialColumn = serial.Column;
        SerialSize = serial.Size;
        SerialBaseline = serial.Baseline;
        _metrics = metrics;
        var text = lines.Count == 0 ? 0 : lines.Min(l => l.Size);
        Score = Math.Min(ModuleSize / StampStyle.MinModule, Math.Min(text / StampStyle.MinTextSize, SerialSize / StampStyle.MinSerialSize));
    }

    public double Width { get; }

    public double Height { get; }

    public StampArrangement Arrangement { get; }

    public StampColour Background => StampStyle.Paper;

    public StampColour QrInk => StampStyle.Ink;

    /// <summary>The QR square, quiet zone included; <see cref="QrModules"/> modules across.</summary>
    public StampBox Qr { get; }

    public int QrModules { get; }

    /// <summary>Quiet-zone modules of the encoder's matrix (which has 4 a side) left out on each side.</summary>
    public int QrTrim => StampStyle.QrTrim;

    public QrHole Hole { get; }

    public StampPanel Panel { get; }

    public StampBox EmblemBox { get; }

    public StampEmblem Emblem { get; }

    /// <summary>METERAI, ELEKTRONIK, 10000, SEPULUH RIBU RUPIAH: the same on every stamp of this size.</summary>
    public IReadOnlyList<StampTextRun> Lines { get; }

    public double SerialSize { get; }

    public double SerialBaseline { get; }

    public StampBox SerialColumn => _serialColumn;

    public double ModuleSize => Qr.Width / QrModules;

    /// <summary>The smallest ratio of a module or a line's size to its legibility minimum: ≥ 1 means legible.</summary>
    public double Score { get; }

    public bool IsLegible => Score >= 1;

    internal StampTextMetrics Metrics => _metrics;

    /// <summary>The PDF backend's bytes for this layout, made on first use.</summary>
    internal StampPdfPainter.Parts? PdfParts { get; set; }

    /// <summary>Where this serial's line goes: centred in its column, or condensed (rare; see <see cref="StampTextMetrics.SerialDesignEm"/>).</summary>
    public StampSerialRun SerialRun(string serial)
    {
        var width = _metrics.WidthEm(serial) * SerialSize;
        if (width <= _serialColumn.Width)
        {
            return new StampSerialRun(_serialColumn.X + (_serialColumn.Width - width) / 2, SerialSize, SerialBaseline, 100, StampStyle.SerialInk);
        }

        // Rounded down to 1/1000 %, so the condensed line never ends past the column.
        return new StampSerialRun(_serialColumn.X, SerialSize, SerialBaseline, Math.Floor(_serialColumn.Width / width * 100_000) / 1000, StampStyle.SerialInk);
    }

    /// <summary>The width a line of text takes at a size, by the font's own advances.</summary>
    public double TextWidth(string text, double size) => _metrics.WidthEm(text) * size;
}
