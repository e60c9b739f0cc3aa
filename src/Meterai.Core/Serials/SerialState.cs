namespace Meterai.Core.Serials;

/// <summary>
/// A serial's lifecycle: <see cref="Reserved"/> (bound to a pending quota transfer) → <see cref="Stamped"/> (bound
/// forever to one document) or <see cref="Released"/> (never used; never reused). Stored as a small integer.
/// </summary>
public enum SerialState : short
{
    Reserved = 1,
    Stamped = 2,
    Released = 3,
}
