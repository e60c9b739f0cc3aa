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

    Task<int> CountAsync(CancellationToken cancellationToken = default);
}
