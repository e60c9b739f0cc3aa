namespace Meterai.Core.Serials;

/// <summary>
/// The address a stamp's QR code points at: <c>{PUBLIC BASE URL}/V/{SERIAL}</c>, with the scheme and host in capitals.
/// </summary>
/// <remarks>
/// Capitals, digits and <c>:/.-</c> are QR alphanumeric characters (5.5 bits each, against 8 in byte mode), which keeps
/// the symbol a version or two smaller and its modules large enough to scan on a 54 pt stamp. Scheme and host are
/// case-insensitive (RFC 3986 §3.1, §3.2.2) and the server routes <c>/V/</c> like <c>/v/</c>; a path in the base URL
/// is kept as written, since a proxy in front may route paths case-sensitively (write it in capitals to keep the
/// alphanumeric mode).
/// </remarks>
public static class VerifyAddress
{
    public static string For(string publicBaseUrl, SerialNumber serial)
    {
        ArgumentNullException.ThrowIfNull(publicBaseUrl);
        var baseUrl = publicBaseUrl.TrimEnd('/');
        var authorityStart = baseUrl.IndexOf("://", StringComparison.Ordinal);
        if (authorityStart < 0) return baseUrl + "/V/" + serial.Value;
        var pathStart = baseUrl.IndexOf('/', authorityStart + 3);
        var origin = pathStart < 0 ? baseUrl : baseUrl[..pathStart];
        var path = pathStart < 0 ? "" : baseUrl[pathStart..];
        return origin.ToUpperInvariant() + path + "/V/" + serial.Value;
    }
}
