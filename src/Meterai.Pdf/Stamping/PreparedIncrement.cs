using System.Security.Cryptography;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// An increment whose original bytes have been copied out and hashed. <see cref="DocumentDigest"/> is SHA-256 over the
/// /ByteRange (the original, then the increment without its /Contents slot); <see cref="_outputHash"/> holds the state
/// of SHA-256 over the original and the increment up to the slot, so the whole output's digest costs only the rest.
/// </summary>
internal sealed class PreparedIncrement : IDisposable
{
    private readonly IncrementalHash _outputHash;

    public PreparedIncrement(ComposedIncrement increment, byte[] documentDigest, IncrementalHash outputHash, int pageCount, bool repaired)
    {
        Increment = increment;
        DocumentDigest = documentDigest;
        _outputHash = outputHash;
        PageCount = pageCount;
        Repaired = repaired;
    }

    public ComposedIncrement Increment { get; }

    public byte[] DocumentDigest { get; }

    public int PageCount { get; }

    public bool Repaired { get; }

    /// <summary>The signature field the stamp fills (its own new one, or a certified document's empty field).</summary>
    public string? FieldName { get; init; }

    /// <summary>Where the stamp landed: the requested rectangle, or the rectangle of the empty field it signed.</summary>
    public Structure.PdfRect Rectangle { get; init; }

    public bool Completed { get; private set; }

    /// <summary>Writes <paramref name="cms"/> into the /Contents slot, appends the increment to <paramref name="output"/>, and returns SHA-256 of the whole output.</summary>
    public byte[] Complete(ReadOnlySpan<byte> cms, Stream output)
    {
        if (Completed) throw new InvalidOperationException("this stamp was already completed");
        var inc = Increment;
        var capacity = (inc.ContentsLength - 2) / 2;
        if (cms.Length > capacity)
        {
            throw new PdfFormatException(PdfErrorCodes.SignatureTooLarge, $"the signature ({cms.Length} bytes) does not fit the {capacity} bytes reserved for it");
        }

        var slot = inc.Bytes.Slice(inc.ContentsOffset + 1, inc.ContentsLength - 2);
        for (var i = 0; i < cms.Length; i++)
        {
            slot[2 * i] = Writing.ObjectSerializer.Hex(cms[i] >> 4);
            slot[2 * i + 1] = Writing.ObjectSerializer.Hex(cms[i] & 0xF);
        }

        Completed = true;
        _outputHash.AppendData(inc.Bytes[inc.ContentsOffset..]);
        var digest = _outputHash.GetHashAndReset();
        output.Write(inc.Bytes);
        return digest;
    }

    public void Dispose()
    {
        _outputHash.Dispose();
        Increment.Dispose();
    }
}
