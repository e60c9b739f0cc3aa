namespace Meterai.Pdf.Filters;

/// <summary>/ASCIIHexDecode and /ASCII85Decode (§7.4.2, §7.4.3), lenient about white space and a missing end marker.</summary>
internal static class AsciiFilters
{
    public static byte[] Hex(byte[] data)
    {
        var output = new List<byte>(data.Length / 2);
        var high = -1;
        foreach (var b in data)
        {
            if (b == '>') break;
            var v = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => -1,
            };
            if (v < 0) continue;
            if (high < 0) high = v;
            else
            {
                output.Add((byte)((high << 4) | v));
                high = -1;
            }
        }

        if (high >= 0) output.Add((byte)(high << 4));
        return [.. output];
    }

    public static byte[] Base85(byte[] data)
    {
        var output = new List<byte>(data.Length);
        Span<int> group = stackalloc int[5];
        var n = 0;
        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            if (b == '~') break;
            if (b == 'z' && n == 0)
            {
                output.AddRange([0, 0, 0, 0]);
                continue;
            }

            if (b is < (byte)'!' or > (byte)'u') continue;
            group[n++] = b - '!';
            if (n == 5)
            {
                Flush(group, 5, output);
                n = 0;
            }
        }

        if (n > 1)
        {
            for (var i = n; i < 5; i++) group[i] = 84;
            Flush(group, n, output);
        }

        return [.. output];
    }

    private static void Flush(Span<int> group, int n, List<byte> output)
    {
        long value = 0;
        foreach (var g in group) value = value * 85 + g;
        for (var i = 0; i < n - 1; i++) output.Add((byte)(value >> (24 - 8 * i)));
    }
}
