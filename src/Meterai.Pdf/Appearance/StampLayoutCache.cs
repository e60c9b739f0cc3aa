namespace Meterai.Pdf.Appearance;

/// <summary>
/// Remembers recent layouts (and with them the PDF bytes every stamp of the size shares), since a service stamps the
/// same few sizes over and over and a layout costs several microseconds of searching. Direct-mapped and fixed in
/// size: the stamp size comes from callers, so an unbounded dictionary would be a memory leak anyone could drive.
/// Layouts are immutable and a reference store is atomic, so threads share it without locks; a collision just
/// computes again.
/// </summary>
internal static class StampLayoutCache
{
    private const int Slots = 64;
    private static readonly Entry?[] Entries = new Entry?[Slots];

    public static StampLayout Get(double width, double height, int qrModules, StampTextMetrics metrics, StampEmblem emblem)
    {
        var slot = (int)((uint)HashCode.Combine(width, height, qrModules) % Slots);
        var entry = Volatile.Read(ref Entries[slot]);
        if (entry is not null && entry.Width == width && entry.Height == height && entry.QrModules == qrModules
            && ReferenceEquals(entry.Metrics, metrics) && ReferenceEquals(entry.Emblem, emblem))
        {
            return entry.Layout;
        }

        var layout = StampLayoutPlanner.Compute(width, height, qrModules, metrics, emblem);
        Volatile.Write(ref Entries[slot], new Entry(width, height, qrModules, metrics, emblem, layout));
        return layout;
    }

    private sealed record Entry(double Width, double Height, int QrModules, StampTextMetrics Metrics, StampEmblem Emblem, StampLayout Layout);
}
