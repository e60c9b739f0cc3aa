using Meterai.Pdf.Parsing;

namespace Meterai.Pdf.Tests.Parsing;

/// <summary>SectionNumbers answers exactly what a set of every number read would, with few ranges and with many.</summary>
public class SectionNumbersTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(40)]
    public void Finds_the_same_repeats_as_a_set(int rangeCount)
    {
        var random = new Random(rangeCount);
        for (var trial = 0; trial < 200; trial++)
        {
            var numbers = new SectionNumbers();
            var reference = new HashSet<int>();
            for (var r = 0; r < rangeCount; r++)
            {
                var first = random.Next(0, 60);
                numbers.StartRange(first);
                for (var n = first; n < first + random.Next(0, 6); n++)
                {
                    var expected = reference.Add(n);
                    Assert.Equal(expected, numbers.Add(n));
                    if (!expected) goto next; // the reader stops at the first repeat
                }
            }

            next:;
        }
    }

    [Fact]
    public void A_repeat_after_many_ranges_is_found()
    {
        var numbers = new SectionNumbers();
        for (var r = 0; r < 20; r++)
        {
            numbers.StartRange(r * 10);
            for (var n = r * 10; n < r * 10 + 3; n++) Assert.True(numbers.Add(n));
        }

        numbers.StartRange(2);
        Assert.False(numbers.Add(2));
    }
}
