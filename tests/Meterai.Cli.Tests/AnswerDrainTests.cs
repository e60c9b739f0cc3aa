using Meterai.Bench.LoadTest;

namespace Meterai.Cli.Tests;

public sealed class AnswerDrainTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(AnswerDrain.BufferSize)]
    [InlineData(97 * 1024 + 13)]
    [InlineData(3 * AnswerDrain.BufferSize + 17)]
    public async Task Every_byte_of_the_answer_is_read_and_counted(int length)
    {
        var body = new PiecemealStream(new byte[length], 1000);

        Assert.Equal(length, await AnswerDrain.ReadToEndAsync(body, CancellationToken.None));
        Assert.Equal(length, body.Position);
    }

    [Fact]
    public async Task A_cancelled_read_is_not_counted_as_an_answer()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AnswerDrain.ReadToEndAsync(new MemoryStream(new byte[10]), cts.Token));
    }

    /// <summary>Hands out at most a few bytes per read, as a socket does when the answer is still arriving.</summary>
    private sealed class PiecemealStream(byte[] bytes, int most) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, most)], ct);
    }
}
