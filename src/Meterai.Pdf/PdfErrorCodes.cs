namespace Meterai.Pdf;

/// <summary>
/// Stable snake_case codes of everything a user's file or request can cause. They are part of the public API: the HTTP
/// service returns them in problem details and the CLI prints them. Never rename one; add new ones.
/// </summary>
public static class PdfErrorCodes
{
    /// <summary>The bytes are not a PDF at all (no header, no objects).</summary>
    public const string NotAPdf = "not_a_pdf";

    /// <summary>The file is cut short or damaged so badly that no page tree can be recovered.</summary>
    public const string Truncated = "truncated";

    /// <summary>The cross-reference data is damaged and the file carries a signature: repairing it could change what was signed.</summary>
    public const string DamagedSignedFile = "damaged_signed_file";

    /// <summary>The file needs a password to open and none was given.</summary>
    public const string PasswordRequired = "password_required";

    /// <summary>The given password is neither the user nor the owner password.</summary>
    public const string WrongPassword = "wrong_password";

    /// <summary>The owner's permissions do not allow adding annotations or signing.</summary>
    public const string PermissionDenied = "permission_denied";

    /// <summary>The document is certified (DocMDP) with "no changes allowed".</summary>
    public const string CertifiedNoChanges = "certified_no_changes";

    /// <summary>
    /// The document is certified (DocMDP P=2 or P=3) and has no empty signature field on the page for the stamp: a new
    /// visible signature field after a certification is refused by pyHanko's default rules (ISO 32000 allows signing at
    /// P=2 and P=3, Acrobat accepts it), so the earlier certification would not stay valid in every validator.
    /// </summary>
    public const string CertifiedNoEmptyField = "certified_no_empty_field";

    /// <summary>An earlier signature locks the document against changes (FieldMDP lock with P=1).</summary>
    public const string FieldLocked = "field_locked";

    /// <summary>The requested page does not exist.</summary>
    public const string PageOutOfRange = "page_out_of_range";

    /// <summary>The requested rectangle is not inside the visible area of the page.</summary>
    public const string RectOffPage = "rect_off_page";

    /// <summary>The file is larger than the configured limit.</summary>
    public const string TooLarge = "too_large";

    /// <summary>Encryption by a security handler or algorithm this engine does not implement.</summary>
    public const string UnsupportedEncryption = "unsupported_encryption";

    /// <summary>The file exceeds a structural bound (nesting, loops, sizes, decompression) set to keep the service safe.</summary>
    public const string LimitExceeded = "limit_exceeded";

    /// <summary>
    /// Processing the file would take more processor time or memory than one request may use
    /// (<see cref="PdfLimits.MaxCpuTime"/>, <see cref="PdfLimits.MaxAllocatedBytes"/>): each part of it is within bounds, the whole is not.
    /// </summary>
    public const string WorkLimitExceeded = "work_limit_exceeded";

    /// <summary>The file's structure is broken in a way repair cannot fix (e.g. a damaged object on the path to the page).</summary>
    public const string Malformed = "malformed_pdf";

    /// <summary>The request itself is invalid (a rectangle with no area, a page number below 1, …).</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>The signature returned by the signer is larger than the space reserved for it.</summary>
    public const string SignatureTooLarge = "signature_too_large";

    /// <summary>The file carries no signature to verify.</summary>
    public const string NoSignatures = "no_signatures";
}
