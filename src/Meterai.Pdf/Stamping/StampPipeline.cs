using System.Buffers;
using System.Security.Cryptography;
using Meterai.Core.Common;
using Meterai.Pdf.Appearance;
using Meterai.Pdf.Budget;
using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Stamping;

/// <summary>
/// The PDF half of a stamp: read and check (random access, tail first), build the increment with an empty /Contents
/// slot, then copy the original to the output in one sequential pass while hashing it — the file is read once.
/// </summary>
internal static class StampPipeline
{
    private const int CopyBufferSize = 128 * 1024;

    public static PreparedIncrement Prepare(
        Stream input,
        Stream output,
        StampRequest request,
        PdfLimits limits,
        Func<double, double, Result<StampAppearance>> appearance,
        Func<StampTarget, SignatureEntries> describe,
        int contentsCapacity,
        StampFontCache fonts)
    {
        var source = ByteSource.For(input);
        var (target, composed) = StampAnalyzer.WithRecovery(source, request, limits, doc =>
        {
            var target = StampAnalyzer.Analyze(doc, request);
            var drawing = AppearanceFitting.Build(appearance, target.Placement, target.Page);
            return (target, IncrementComposer.Compose(target, drawing, fonts, describe(target), contentsCapacity));
        });

        var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            CopyAndHash(source, input, output, hash);
            hash.AppendData(composed.Bytes[..composed.ContentsOffset]);
            // From here the two digests part ways: the whole output continues with the /Contents slot; the signed
            // digest skips it.
            var outputHash = hash.Clone();
            hash.AppendData(composed.Bytes[(composed.ContentsOffset + composed.ContentsLength)..]);
            var documentDigest = hash.GetHashAndReset();
            return new PreparedIncrement(composed, documentDigest, outputHash, target.Page.PageCount, target.Document.IsRecovered)
            {
                FieldName = target.EmptyField?.Name,
                Rectangle = target.Placement.Rect,
            };
        }
        catch
        {
            composed.Dispose();
            throw;
        }
        finally
        {
            hash.Dispose();
        }
    }

    private static void CopyAndHash(ByteSource source, Stream input, Stream output, IncrementalHash hash)
    {
        if (source.IsInMemory)
        {
            var memory = source.Memory.Span;
            hash.AppendData(memory);
            output.Write(memory);
            WorkBudget.Check();
            return;
        }

        var remaining = source.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            input.Position = 0;
            while (remaining > 0)
            {
                var n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                if (n <= 0) throw new IOException("the input ended before its announced length");
                hash.AppendData(buffer, 0, n);
                output.Write(buffer, 0, n);
                remaining -= n;
                WorkBudget.Check();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
