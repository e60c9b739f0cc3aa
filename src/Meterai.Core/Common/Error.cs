namespace Meterai.Core.Common;

/// <summary>
/// A failure as a value: a stable machine-readable <see cref="Code"/> (snake_case, part of the public API)
/// and a message for people. Codes never change once published; messages may.
/// </summary>
public sealed record Error(string Code, string Message)
{
    public override string ToString() => $"{Code}: {Message}";
}
