namespace Meterai.Bench;

/// <summary>Describes the machine a figure was measured on, printed with every benchmark result.</summary>
public static class BenchInfo
{
    public static string Machine()
    {
        var cpu = "unknown cpu";
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (line is not null) cpu = line[(line.IndexOf(':') + 1)..].Trim();
        }
        catch (IOException)
        {
        }

        return $"{cpu}, {Environment.ProcessorCount} cores, .NET {Environment.Version}";
    }
}
