namespace Meterai.Pdf.Appearance;

/// <summary>A horizontal run of dark QR modules: row 0 at the top, <see cref="Start"/> its first column.</summary>
public readonly record struct QrRun(int Row, int Start, int Length);

/// <summary>
/// The drawn QR modules of a <see cref="StampPicture"/> as horizontal runs, row by row: what every backend fills, so
/// the PDF and the picture draw the same rectangles. A struct enumerator: no allocation on the stamping path.
/// </summary>
public struct QrRuns(StampPicture picture)
{
    private readonly int _n = picture.Layout.QrModules;
    private int _row;
    private int _col;

    public QrRun Current { get; private set; }

    public readonly QrRuns GetEnumerator() => this;

    public bool MoveNext()
    {
        for (; _row < _n; _row++, _col = 0)
        {
            while (_col < _n && !picture.IsDark(_col, _row)) _col++;
            if (_col == _n) continue;
            var start = _col;
            while (_col < _n && picture.IsDark(_col, _row)) _col++;
            Current = new QrRun(_row, start, _col - start);
            return true;
        }

        return false;
    }
}
