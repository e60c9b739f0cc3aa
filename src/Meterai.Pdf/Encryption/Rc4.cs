namespace Meterai.Pdf.Encryption;

/// <summary>
/// RC4 (ARCFOUR), which the PDF standard security handler revisions 2–4 use (§7.6.2). .NET ships no RC4, and the
/// cipher is weak; it is implemented here only to read and extend files that already use it.
/// </summary>
internal static class Rc4
{
    public static void Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input, Span<byte> output)
    {
        Span<byte> s = stackalloc byte[256];
        for (var i = 0; i < 256; i++) s[i] = (byte)i;
        for (int i = 0, j = 0; i < 256; i++)
        {
            j = (j + s[i] + key[i % key.Length]) & 0xFF;
            (s[i], s[j]) = (s[j], s[i]);
        }

        for (int k = 0, i = 0, j = 0; k < input.Length; k++)
        {
            i = (i + 1) & 0xFF;
            j = (j + s[i]) & 0xFF;
            (s[i], s[j]) = (s[j], s[i]);
            output[k] = (byte)(input[k] ^ s[(s[i] + s[j]) & 0xFF]);
        }
    }

    public static byte[] Apply(ReadOnlySpan<byte> key, ReadOnlySpan<byte> input)
    {
        var output = new byte[input.Length];
        Apply(key, input, output);
        return output;
    }
}
