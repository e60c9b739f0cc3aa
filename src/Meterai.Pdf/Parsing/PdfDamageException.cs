namespace Meterai.Pdf.Parsing;

/// <summary>
/// The file's cross-reference data or an object does not match the bytes (wrong offset, bad /Length, missing
/// keyword…). Not an answer by itself: the engine then opens the file in recovery mode, or refuses it with
/// damaged_signed_file when it carries a signature.
/// </summary>
internal sealed class PdfDamageException(string message) : Exception(message);
