namespace Meterai.Pdf.Verification;

/// <summary>What later revisions did to the document a signature covers.</summary>
public enum ModificationLevel
{
    /// <summary>Nothing was added after the signed revision.</summary>
    None,

    /// <summary>
    /// Only what the allow-list admits (<see cref="AllowedPlace"/>): later signatures and their fields and widgets
    /// (each drawing inside its own rectangle, covered by a signature that verifies), DSS/VRI data, document
    /// timestamps, document information and metadata no page shows.
    /// </summary>
    Harmless,

    /// <summary>Anything else: page content, annotations, resources, objects the signed revision referred to, … or later revisions that cannot be analysed.</summary>
    Changed,
}
