using System.Net.Http.Headers;

namespace Meterai.TestSupport;

/// <summary>Builds the multipart requests of POST /api/v1/stamps and /api/v1/verify as a client would send them.</summary>
public static class StampClient
{
    public static MultipartFormDataContent Form(byte[]? pdf, IReadOnlyDictionary<string, string>? fields = null, string fileName = "surat.pdf", string fileType = "application/pdf")
    {
        var form = new MultipartFormDataContent();
        if (pdf is not null)
        {
            var file = new ByteArrayContent(pdf);
            file.Headers.ContentType = new MediaTypeHeaderValue(fileType);
            form.Add(file, "file", fileName);
        }

        foreach (var (k, v) in fields ?? DefaultFields) form.Add(new StringContent(v), k);
        return form;
    }

    public static readonly IReadOnlyDictionary<string, string> DefaultFields = new Dictionary<string, string>
    {
        ["page"] = "1",
        ["rect"] = "400,60,540,150",
        ["document_type"] = "surat_pernyataan",
        ["document_number"] = "SP-001/2024",
        ["document_date"] = "2024-09-02",
    };

    public static Dictionary<string, string> Fields(params (string Key, string? Value)[] changes)
    {
        var fields = new Dictionary<string, string>(DefaultFields);
        foreach (var (k, v) in changes)
        {
            if (v is null) fields.Remove(k);
            else fields[k] = v;
        }

        return fields;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, HttpContent content, string? token, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static Task<HttpResponseMessage> StampAsync(HttpClient http, string token, string key, byte[]? pdf, IReadOnlyDictionary<string, string>? fields = null) =>
        PostAsync(http, "/api/v1/stamps", Form(pdf, fields), token, key);

    public static Task<HttpResponseMessage> VerifyAsync(HttpClient http, byte[] pdf) => PostAsync(http, "/api/v1/verify", Form(pdf, new Dictionary<string, string>()), null, null);
}
