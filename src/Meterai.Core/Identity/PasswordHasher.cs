using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Meterai.Core.Identity;

/// <summary>
/// Password hashes: PBKDF2-HMAC-SHA256 with a per-password 16-byte salt, stored with their parameters as
/// <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt base64&gt;$&lt;hash base64&gt;</c>, so the iteration count can be raised
/// later without invalidating existing hashes (<see cref="NeedsRehash"/>).
/// </summary>
public sealed class PasswordHasher
{
    public const string Scheme = "pbkdf2-sha256";

    /// <summary>
    /// The default work factor. OWASP's 2023 figure for PBKDF2-SHA256 is 600,000; at that cost one login takes about
    /// a quarter of a second of a core here, which a registration-deadline surge of logins turns into a queue. This
    /// default is a third of it, configurable (<c>Identity:PasswordIterations</c>) and upgraded on the next login.
    /// </summary>
    public const int DefaultIterations = 210_000;

    public const int MinimumPasswordLength = 10;
    public const int MaximumPasswordLength = 256;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public PasswordHasher(int iterations = DefaultIterations)
    {
        if (iterations < 1_000) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "at least 1,000 iterations");
        Iterations = iterations;
        // A hash of a random password with the same parameters: verifying against it when the account does not exist
        // costs the same time as a real check, so timing does not tell which identifiers are registered.
        _decoy = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));
    }

    private readonly string _decoy;

    public int Iterations { get; }

    /// <summary>Why a password is not acceptable, or null. Length only: a long passphrase beats composition rules.</summary>
    public static string? Weakness(string? password) => password switch
    {
        null or "" => "a password is required",
        { Length: < MinimumPasswordLength } => $"a password has at least {MinimumPasswordLength} characters",
        { Length: > MaximumPasswordLength } => $"a password has at most {MaximumPasswordLength} characters",
        _ => null,
    };

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>
    /// Checks <paramref name="password"/> against <paramref name="stored"/> in constant time. A null or unreadable
    /// <paramref name="stored"/> (no such account, no password set) is checked against a decoy and answers false, taking
    /// as long as a real check.
    /// </summary>
    public bool Verify(string password, string? stored)
    {
        if (stored is null || !TryParse(stored, out var iterations, out var salt, out var expected))
        {
            TryParse(_decoy, out iterations, out salt, out expected);
            Derive(password, salt, iterations, expected.Length);
            return false;
        }

        var actual = Derive(password, salt, iterations, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>The hash was made with other parameters than this hasher's: store a fresh hash after a successful login.</summary>
    public bool NeedsRehash(string stored) => !TryParse(stored, out var iterations, out _, out _) || iterations != Iterations;

    private static byte[] Derive(string password, byte[] salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, length);

    private static bool TryParse(string stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1) return false;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length > 0 && hash.Length > 0;
    }
}
