using Meterai.Core.Common;

namespace Meterai.Core.Identity;

/// <summary>Operators (issuer staff).</summary>
public interface IOperatorStore
{
    /// <summary>Creates an operator. Error <c>operator_exists</c> when the e-mail address is taken.</summary>
    Task<Result<Operator>> CreateAsync(Operator op, CancellationToken cancellationToken = default);

    Task<Operator?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    Task<Operator?> GetAsync(UInt128 id, CancellationToken cancellationToken = default);

    Task SetPasswordHashAsync(UInt128 id, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Disables an operator (<paramref name="at"/>; disabling again keeps the first time) or enables it again (null).
    /// Answers the operator as it is now, or null when there is none.
    /// </summary>
    Task<Operator?> SetDisabledAsync(UInt128 id, DateTimeOffset? at, CancellationToken cancellationToken = default);

    Task<int> CountAsync(CancellationToken cancellationToken = default);
}
