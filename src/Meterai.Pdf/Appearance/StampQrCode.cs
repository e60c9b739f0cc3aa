using System.Collections;
using Meterai.Core.Common;
using QRCoder;

namespace Meterai.Pdf.Appearance;

/// <summary>The stamp's QR code: QRCoder's module matrix of the verify URL, quiet zone included.</summary>
internal static class StampQrCode
{
    /// <summary>The verification URL's upper bound; a verify URL is ~60 characters, 512 leaves room for any base URL.</summary>
    public const int MaxUrlLength = 512;

    /// <summary>
    /// Encodes the URL; QRCoder picks alphanumeric mode when every character is one (an upper-case verify URL, see
    /// <see cref="Meterai.Core.Serials.VerifyAddress"/>), else byte mode (printable ASCII only, so no ECI question arises).
    /// </summary>
    public static Result<List<BitArray>> Encode(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxUrlLength)
        {
            return new Error(StampAppearanceErrors.VerifyUrlInvalid, $"the verification URL must have 1 to {MaxUrlLength} characters");
        }

        foreach (var c in url)
        {
            if (c is < '!' or > '~') return new Error(StampAppearanceErrors.VerifyUrlInvalid, "the verification URL must be printable ASCII without spaces");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return new Error(StampAppearanceErrors.VerifyUrlInvalid, "the verification URL must be an absolute http(s) URL");
        }

        try
        {
            using var data = QRCodeGenerator.GenerateQrCode(url, StampStyle.QrEccLevel);
            return data.ModuleMatrix;
        }
        catch (QRCoder.Exceptions.DataTooLongException e)
        {
            return new Error(StampAppearanceErrors.VerifyUrlInvalid, $"the verification URL does not fit in a QR code: {e.Message}");
        }
    }
}
