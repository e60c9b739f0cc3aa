namespace Meterai.Pdf.Verification;

/// <summary>
/// The allow-list, written once: after a signature, an object written by a later revision is harmless only when it is
/// reached in the final document exclusively through one of these places (or is bookkeeping no reader shows:
/// an identical rewrite, an object nothing refers to, a new object stream or cross-reference stream). A freed
/// object is always a change. Everything else — any object the signed document reaches, including an object the signed revision
/// referred to but did not define — is a change. In the spirit of pyHanko's difference analysis (every object a later
/// revision writes must be explained), with the reach of the signed revision followed through every reference.
/// </summary>
internal enum AllowedPlace : byte
{
    /// <summary>Not allowed: the signed document (catalog, pages, their resources, annotations, fields, …).</summary>
    Document,

    /// <summary>
    /// A signature field added later (a new object number, /FT /Sig, listed in the form's /Fields and a page's /Annots),
    /// its widgets and appearance streams and signature dictionary, or an empty signature field of the signed revision
    /// being signed. Its appearance is drawn only inside its own /Rect; a visible one must belong to a signature that
    /// verifies and whose byte range covers it (<see cref="LaterSignatureCoverage"/>). An unsigned visible one is a
    /// change. Document timestamps are such fields too, usually invisible.
    /// </summary>
    LaterSignature,

    /// <summary>The catalog's /DSS: certificates, OCSP responses, CRLs and VRI entries for long-term validation.</summary>
    SecurityStore,

    /// <summary>The trailer's /Info: title, author, dates, producer.</summary>
    DocumentInformation,

    /// <summary>The catalog's /Metadata (XMP), /Extensions, /Version and /MarkInfo: nothing a page shows.</summary>
    Metadata,

    /// <summary>A form's /DR and /DA, only while every field of the form is a signature field (no field's text is drawn from them).</summary>
    FormDefaults,
}

/// <summary>Where the walk of the final document is: the allowed place and, for a later signature, its field's object number.</summary>
internal readonly record struct Place(AllowedPlace Kind, int Owner)
{
    public static readonly Place Document = new(AllowedPlace.Document, 0);

    public bool IsDocument => Kind == AllowedPlace.Document;
}
