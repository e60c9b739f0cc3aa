namespace Meterai.Core.Serials;

/// <summary>
/// A totally anti-symmetric quasigroup of order 36 for Damm's check-character scheme. Elements are pairs
/// (x₁ ∈ GF(4), x₂ ∈ GF(9)), value = x₁ + 4·x₂, and x ∘ y = (a₁x₁ + y₁, a₂x₂ + y₂) with a₁, a₂ ∉ {0, 1}.
/// <list type="bullet">
/// <item>Each row and column is a permutation (a Latin square), so any single substitution changes the result.</item>
/// <item>(c∘x)∘y = (c∘y)∘x forces (aᵢ−1)(xᵢ−yᵢ) = 0 in each field, so x = y: no adjacent swap goes unnoticed,
/// including a swap of the last character with the check character.</item>
/// </list>
/// </summary>
internal static class DammQuasigroup36
{
    public const int Order = 36;

    // GF(4) = GF(2)[x]/(x²+x+1); a₁ = x (value 2).
    private static readonly int[,] Gf4Mul = BuildGf4();

    // GF(9) = GF(3)[t]/(t²+1), value = p₀ + 3·p₁; a₂ = t (value 3).
    private const int A1 = 2;
    private const int A2 = 3;

    private static readonly byte[] Table = BuildTable();

    private static readonly byte[] CompletionTable = BuildCompletion();

    public static int Combine(int interim, int value) => Table[interim * Order + value];

    /// <summary>The unique y with interim ∘ y = 0.</summary>
    public static int Completion(int interim) => CompletionTable[interim];

    private static byte[] BuildTable()
    {
        var t = new byte[Order * Order];
        for (var x = 0; x < Order; x++)
        for (var y = 0; y < Order; y++)
        {
            var z1 = Gf4Mul[A1, x % 4] ^ (y % 4); // addition in GF(4) is XOR
            var z2 = Gf9Add(Gf9Mul(A2, x / 4), y / 4);
            t[x * Order + y] = (byte)(z1 + 4 * z2);
        }

        return t;
    }

    private static byte[] BuildCompletion()
    {
        var c = new byte[Order];
        for (var x = 0; x < Order; x++)
        for (var y = 0; y < Order; y++)
        {
            if (Table[x * Order + y] == 0) c[x] = (byte)y;
        }

        return c;
    }

    private static int[,] BuildGf4()
    {
        var m = new int[4, 4];
        for (var a = 0; a < 4; a++)
        for (var b = 0; b < 4; b++)
        {
            // carry-less multiply, then reduce by x² + x + 1 (0b111)
            var p = 0;
            for (var i = 0; i < 2; i++) if ((b >> i & 1) != 0) p ^= a << i;
            if ((p & 4) != 0) p ^= 0b111;
            m[a, b] = p;
        }

        return m;
    }

    private static int Gf9Add(int a, int b) => (a % 3 + b % 3) % 3 + 3 * ((a / 3 + b / 3) % 3);

    private static int Gf9Mul(int a, int b)
    {
        int a0 = a % 3, a1 = a / 3, b0 = b % 3, b1 = b / 3;
        // (a0 + a1 t)(b0 + b1 t) = a0b0 + (a0b1 + a1b0) t + a1b1 t², and t² = −1
        var c0 = ((a0 * b0 - a1 * b1) % 3 + 3) % 3;
        var c1 = (a0 * b1 + a1 * b0) % 3;
        return c0 + 3 * c1;
    }
}
