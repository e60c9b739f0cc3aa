namespace Meterai.Pdf.Verification;

/// <summary>Every signature of a file, judged.</summary>
public sealed record VerificationReport(long FileLength, bool Damaged, IReadOnlyList<SignatureReport> Signatures)
{
    /// <summary>Every signature's integrity holds (false when there is none).</summary>
    public bool AllValid => Signatures.Count > 0 && Signatures.All(s => s.IntegrityValid);

    /// <summary>Some e-Meterai was followed by real changes (page content, other objects), not only by more signatures.</summary>
    public bool ChangedAfterEMeterai => Signatures.Any(s => s.IsEMeterai && s.ChangesAfter == ModificationLevel.Changed);
}
