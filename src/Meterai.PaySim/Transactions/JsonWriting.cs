using System.Text.Encodings.Web;
using System.Text.Json;

namespace Meterai.PaySim.Transactions;

/// <summary>
/// JSON as gateways write it: "+07:00", not "\u002B07:00". The relaxed encoder is safe here because the sandbox's
/// JSON is only ever sent as application/json, never embedded in HTML.
/// </summary>
internal static class JsonWriting
{
    public static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
