using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Tests.Objects;

/// <summary>PdfDictionary keeps insertion order through sets and removals, small (searched) and large (indexed).</summary>
public class PdfDictionaryTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(200)]
    public void Behaves_as_an_ordered_dictionary(int keys)
    {
        var random = new Random(keys);
        var d = new PdfDictionary();
        var reference = new OrderedDictionary<string, PdfObject>(StringComparer.Ordinal);
        for (var step = 0; step < keys * 20; step++)
        {
            var key = "K" + random.Next(keys);
            switch (random.Next(4))
            {
                case 0:
                    Assert.Equal(reference.Remove(key), d.Remove(key));
                    break;
                case 1:
                    d.Set(key, PdfNull.Instance);
                    reference.Remove(key);
                    break;
                default:
                    var value = PdfInteger.Of(step);
                    d.Set(key, value);
                    reference[key] = value;
                    break;
            }

            Assert.Equal(reference.Count, d.Count);
            Assert.Equal(reference.Keys, d.Keys);
            Assert.Equal(reference.Values, d.Entries.Select(e => e.Value));
            Assert.Equal(reference.ContainsKey(key), d.ContainsKey(key));
            Assert.Same(reference.GetValueOrDefault(key), d[key]);
        }

        var clone = d.Clone();
        clone.Set("Extra", PdfInteger.Of(1));
        Assert.Equal([.. reference.Keys, "Extra"], clone.Keys);
        Assert.Equal(reference.Keys, d.Keys);
        foreach (var key in reference.Keys) Assert.Same(reference[key], clone[key]);
    }

    [Fact]
    public void Adding_while_enumerating_throws()
    {
        var d = new PdfDictionary().Set("A", PdfInteger.Of(1)).Set("B", PdfInteger.Of(2));
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var (k, _) in d.Entries) d.Set(k + "x", PdfInteger.Of(3));
        });
    }
}
