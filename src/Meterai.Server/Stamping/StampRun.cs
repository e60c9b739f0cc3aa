using Meterai.Core.Stamping;

namespace Meterai.Server.Stamping;

/// <summary>The end of one run of the stamping steps.</summary>
public abstract record StampRun
{
    /// <summary>Stamped. <paramref name="Output"/> holds the PDF when this run made it in memory (the caller disposes it).</summary>
    public sealed record Completed(StampRecord Record, PooledBuffer? Output) : StampRun;

    /// <summary>Refused or given up; nothing charged. <paramref name="Retryable"/>: the same request may succeed later.</summary>
    public sealed record Failed(StampRecord Record, string Code, string Message, bool Retryable) : StampRun;

    /// <summary>A job that met a passing failure and went back to the queue (its reservation kept).</summary>
    public sealed record Requeued(StampRecord Record, string Reason) : StampRun;
}
