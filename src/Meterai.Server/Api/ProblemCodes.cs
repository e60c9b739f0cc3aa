namespace Meterai.Server.Api;

/// <summary>
/// Endpoint metadata: the problem codes an endpoint can answer with, per status. The OpenAPI document lists them
/// (a response per status, its description naming every code, and <c>x-problem-codes</c>).
/// </summary>
public sealed record ProblemCodes(int Status, IReadOnlyList<string> Codes);

public static class ProblemCodesExtensions
{
    /// <summary>Declares the problem codes of one status for this endpoint (call once per status).</summary>
    public static TBuilder Problems<TBuilder>(this TBuilder builder, int status, params string[] codes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ProblemCodes(status, codes));
}
