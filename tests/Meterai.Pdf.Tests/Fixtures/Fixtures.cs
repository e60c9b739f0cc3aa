using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Fixtures;

/// <summary>
/// The fixture files the tests generate for themselves (so the suite runs without ../shared), written once per run
/// into a temporary folder. Variants are made with qpdf, an independent writer, exactly as a user's tools would.
/// </summary>
internal static class Fixtures
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "meterai-fixtures-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        return dir;
    });

    private static readonly Dictionary<string, byte[]> Cache = [];
    private static readonly Lock Gate = new();

    public static byte[] Plain => Get("plain", () => new FixturePdf().Build());

    public static byte[] Rotated(int degrees) => Get($"rot{degrees}", () => new FixturePdf { Rotate = degrees }.Build());

    public static byte[] Cropped => Get("crop", () => new FixturePdf { MediaBox = [0, 0, 612, 792], CropBox = [100, 150, 500, 700] }.Build());

    public static byte[] InheritedRotatedCropped => Get("inherit", () => new FixturePdf { Inherited = true, Rotate = 90, MediaBox = [0, 0, 612, 792], CropBox = [36, 36, 576, 756] }.Build());

    public static byte[] WithForm => Get("form", () => new FixturePdf { WithForm = true }.Build());

    /// <summary>The form, its text field drawn by an appearance of its own (object 20): nothing depends on a viewer building one.</summary>
    public static byte[] WithDrawnForm => Get("drawn-form", () => new FixturePdf
    {
        WithForm = true,
        FieldExtra = " /AP << /N 20 0 R >>",
        ExtraObjects = [(20, "<< /Type /XObject /Subtype /Form /BBox [0 0 140 20] /Resources << /Font << /F1 3 0 R >> >> /Length 33 >>\nstream\nBT /F1 12 Tf 2 5 Td (Ratna) Tj ET\nendstream")],
    }.Build());

    /// <summary>The plain fixture rewritten by qpdf with object streams and a cross-reference stream.</summary>
    public static byte[] ObjectStreams => Qpdf("objstm", Plain, "--object-streams=generate");

    public static byte[] Linearized => Qpdf("linear", Plain, "--linearize");

    /// <summary>
    /// The form fixture (it has strings to decrypt) encrypted by qpdf: e.g. ("", "owner", "256") or
    /// ("user", "owner", "128", "--use-aes=y"); RC4 needs qpdf's --allow-weak-crypto, given here.
    /// </summary>
    public static byte[] Encrypted(string user, string owner, string bits, params string[] options) =>
        Qpdf($"enc-{user}-{owner}-{bits}-{string.Join("_", options)}", WithForm, ["--allow-weak-crypto", "--encrypt", user, owner, bits, .. options, "--"]);

    private static byte[] Get(string name, Func<byte[]> make)
    {
        lock (Gate)
        {
            if (!Cache.TryGetValue(name, out var bytes)) Cache[name] = bytes = make();
            return bytes;
        }
    }

    private static byte[] Qpdf(string name, byte[] input, params string[] args) => Get(name, () =>
    {
        ExternalTool.Require("qpdf");
        var src = Path.Combine(Folder.Value, name + "-in.pdf");
        var dst = Path.Combine(Folder.Value, name + ".pdf");
        File.WriteAllBytes(src, input);
        var r = ExternalTool.Run("qpdf", [.. args, src, dst]);
        if (r.ExitCode is not (0 or 3)) throw new InvalidOperationException($"qpdf failed: {r.All}");
        return File.ReadAllBytes(dst);
    });

    /// <summary>Writes bytes to a fresh file in the fixture folder (for external checkers).</summary>
    public static string Save(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder.Value, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
