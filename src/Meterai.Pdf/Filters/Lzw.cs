namespace Meterai.Pdf.Filters;

/// <summary>/LZWDecode (§7.4.4): still found in content streams of files written before Flate was common.</summary>
internal static class Lzw
{
    public static byte[] Decode(byte[] data, int maxOutput, bool earlyChange)
    {
        var output = new List<byte>(data.Length * 3);
        var table = new List<byte[]>(4096);
        void Reset()
        {
            table.Clear();
            for (var i = 0; i < 256; i++) table.Add([(byte)i]);
            table.Add([]); // 256: clear
            table.Add([]); // 257: end
        }

        Reset();
        var width = 9;
        long buffer = 0;
        var bits = 0;
        byte[]? previous = null;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= width)
            {
                var code = (int)((buffer >> (bits - width)) & ((1 << width) - 1));
                bits -= width;
                if (code == 256)
                {
                    Reset();
                    width = 9;
                    previous = null;
                    continue;
                }

                if (code == 257) return [.. output];
                byte[] entry;
                if (code < table.Count) entry = table[code];
                else if (code == table.Count && previous is not null) entry = [.. previous, previous[0]];
                else throw PdfFormatException.Malformed("an LZW stream is corrupt");
                output.AddRange(entry);
                if (output.Count > maxOutput) throw PdfFormatException.Limit($"a stream decodes to more than {maxOutput} bytes");
                if (previous is not null && table.Count < 4096) table.Add([.. previous, entry[0]]);
                previous = entry;
                var next = table.Count + (earlyChange ? 1 : 0);
                width = next >= 2048 ? 12 : next >= 1024 ? 11 : next >= 512 ? 10 : 9;
            }
        }

        return [.. output];
    }
}
