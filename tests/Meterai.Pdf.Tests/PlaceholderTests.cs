namespace Meterai.Pdf.Tests;

public class CorpusPresenceTests
{
    [Fact]
    public void Shared_corpus_manifest_is_readable_when_present()
    {
        var dir = Meterai.TestSupport.TestEnvironment.RequireCorpus();
        var lines = File.ReadAllLines(Path.Combine(dir, "MANIFEST.tsv"));
        Assert.True(lines.Length > 60);
        Assert.StartsWith("file\t", lines[0]);
    }
}
