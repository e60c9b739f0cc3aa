using System.Diagnostics.CodeAnalysis;

namespace Meterai.Core.Common;

/// <summary>Either a value or an <see cref="Error"/>. Used where failure is an expected outcome, not an exception.</summary>
public readonly struct Result<T>
{
    private readonly T? _value;

    private Result(T? value, Error? error)
    {
        _value = value;
        Error = error;
    }

    public Error? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    public T Value => IsOk ? _value! : throw new InvalidOperationException($"Result holds an error: {Error}");

    public static Result<T> Ok(T value) => new(value, null);

    public static Result<T> Fail(Error error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    public static Result<T> Fail(string code, string message) => Fail(new Error(code, message));

    public static implicit operator Result<T>(Error error) => Fail(error);

    public static implicit operator Result<T>(T value) => Ok(value);

    public bool TryGetValue([MaybeNullWhen(false)] out T value, [MaybeNullWhen(true)] out Error error)
    {
        value = _value;
        error = Error;
        return IsOk;
    }
}
