namespace Meterai.Pdf.Verification;

/// <summary>What later revisions did to the document a signature covers.</summary>
public enum ModificationLevel
{
    /// <summary>Nothing was added after the signed revision.</summary>
    None,

    /// <summary>
    /// Only additions that cannot change what the signed pages show: new signature fields and their widgets,
    /// signature dictionaries, appearance streams, the form's field list, document security store (DSS) data.
    /// </summary>
    Harmless,

    /// <summary>Page content, other page entries or other objects changed, or the later revisions cannot be analysed.</summary>
    Changed,
}
