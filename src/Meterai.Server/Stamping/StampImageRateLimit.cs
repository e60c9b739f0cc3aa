using Meterai.Server.Api;

namespace Meterai.Server.Stamping;

/// <summary>
/// The rate of stamp pictures per caller (<c>Stamping:ImagesPerCallerPerMinute</c>, default 60), keyed by the caller's
/// identity and counted before anything is drawn: a 1024 px PNG costs about 40 ms of processor time, some fifty
/// stamps' worth, so without it one account with one serial could keep a node's cores busy drawing.
/// </summary>
public sealed class StampImageRateLimit(IConfiguration configuration)
    : PerClientRateLimit(configuration.GetValue("Stamping:ImagesPerCallerPerMinute", DefaultPerMinute))
{
    public const int DefaultPerMinute = 60;
}
