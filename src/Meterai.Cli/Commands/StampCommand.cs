using System.CommandLine;
using System.Globalization;
using Meterai.Core.Serials;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Structure;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai stamp IN.pdf -o OUT.pdf --page N --rect x1,y1,x2,y2`: stamps one file with the local development issuer
/// (created under the data folder on first use). Without --rect the stamp goes 62×62 pt at the bottom right of the
/// page as displayed; without --serial a fresh serial is minted (no registry is involved: this is a local tool).
/// </summary>
internal static class StampCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("input") { Description = "the PDF to stamp" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "where to write the stamped PDF", Required = true };
        var page = new Option<int>("--page") { Description = "page to stamp (1-based)", DefaultValueFactory = _ => 1 };
        var rect = new Option<string?>("--rect") { Description = "x1,y1,x2,y2 in points, in the page's default user space (default: the free spot nearest the bottom right, at the default size)" };
        var serial = new Option<string?>("--serial") { Description = "the e-Meterai serial (default: a new one)" };
        var password = new Option<string?>("--password") { Description = "user or owner password of an encrypted PDF" };
        var certify = new Option<bool>("--certify") { Description = "certify the document (DocMDP P=2) when it has no earlier signature" };
        var timestamp = new Option<bool>("--timestamp") { Description = "add a signature timestamp from the development TSA (PAdES B-T)" };
        var reason = new Option<string?>("--reason") { Description = "text after the serial in /Reason" };
        var location = new Option<string?>("--location") { Description = "/Location of the signature" };
        var dataDir = new Option<string>("--data-dir") { Description = "data folder holding keys/ (as the server uses)", DefaultValueFactory = _ => "data" };
        var baseUrl = new Option<string>("--base-url") { Description = "public base URL for the QR code ({base}/v/{serial})", DefaultValueFactory = _ => "http://127.0.0.1:5080" };

        var command = new Command("stamp", "stamp a PDF with an e-Meterai (visible stamp + PAdES signature, as an incremental update)");
        command.Arguments.Add(input);
        foreach (var o in new Option[] { output, page, rect, serial, password, certify, timestamp, reason, location, dataDir, baseUrl }) command.Options.Add(o);
        command.SetAction(parse => Run(
            parse.GetValue(input)!,
            parse.GetValue(output)!,
            parse.GetValue(page),
            parse.GetValue(rect),
            parse.GetValue(serial),
            parse.GetValue(password),
            parse.GetValue(certify),
            parse.GetValue(timestamp),
            parse.GetValue(reason),
            parse.GetValue(location),
            parse.GetValue(dataDir)!,
            parse.GetValue(baseUrl)!));
        return command;
    }

    private static int Run(FileInfo input, FileInfo output, int page, string? rectText, string? serialText, string? password, bool certify, bool timestamp, string? reason, string? location, string dataDir, string baseUrl)
    {
        if (!input.Exists) return Fail("not_found", $"{input.FullName} does not exist");
        if (string.Equals(input.FullName, output.FullName, StringComparison.Ordinal)) return Fail("invalid_request", "the output must be another file than the input");

        var serial = SerialNumber.New();
        if (serialText is not null)
        {
            var parsed = SerialNumber.Parse(serialText);
            if (!parsed.IsOk) return Fail(parsed.Error.Code, parsed.Error.Message);
            serial = parsed.Value;
        }

        using var issuer = DevelopmentIssuer.LoadOrCreate(dataDir, KeyEncryptionArguments.Resolve(null, createDevelopmentKey: true));
        var options = new StampEngineOptions
        {
            PublicBaseUrl = baseUrl,
            TimestampClient = timestamp ? new InProcessTimestampClient(issuer.CreateTimestampAuthority()) : null,
        };
        var engine = new StampEngine(options);

        using var source = new FileStream(input.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        PdfRect rect;
        string placement = "given";
        if (rectText is null)
        {
            var spot = PageInspector.ChooseSpot(source, page, password, options.Limits);
            if (!spot.IsOk) return Fail(spot.Error.Code, spot.Error.Message);
            rect = spot.Value.Rect;
            placement = spot.Value.Fallback is { } why ? $"auto, the usual place ({why}: {spot.Value.Detail})" : spot.Value.Moved ? "auto, moved off the page's ink" : "auto, the usual place (free)";
        }
        else if (!TryParseRect(rectText, out rect))
        {
            return Fail("invalid_request", "--rect takes four numbers: x1,y1,x2,y2");
        }

        var request = new StampRequest
        {
            Serial = serial,
            Page = page,
            Rectangle = rect,
            SigningTime = DateTimeOffset.Now,
            Password = password,
            Certify = certify,
            Reason = reason,
            Location = location,
        };

        // Written beside the target and moved into place: a refused or failed stamp leaves no half-written file.
        var temporary = output.FullName + ".tmp-" + Environment.ProcessId;
        Meterai.Core.Common.Result<StampOutcome> result;
        using (var sink = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            result = engine.Stamp(source, sink, request, issuer.Signer);
        }

        if (!result.IsOk)
        {
            File.Delete(temporary);
            return Fail(result.Error.Code, result.Error.Message);
        }

        File.Move(temporary, output.FullName, overwrite: true);
        var outcome = result.Value;
        Console.WriteLine($"stamped: {output.FullName}");
        Console.WriteLine($"  serial:     {outcome.Serial}");
        Console.WriteLine($"  field:      {outcome.FieldName}");
        Console.WriteLine($"  page:       {page} of {outcome.PageCount}");
        Console.WriteLine(FormattableString.Invariant($"  rectangle:  [{rect.X1:0.##} {rect.Y1:0.##} {rect.X2:0.##} {rect.Y2:0.##}]"));
        Console.WriteLine($"  placement:  {placement}");
        Console.WriteLine($"  bytes:      {outcome.OutputLength} (+{outcome.OutputLength - input.Length})");
        Console.WriteLine($"  sha-256:    {outcome.Sha256Hex}");
        Console.WriteLine($"  byte range: [{string.Join(" ", outcome.ByteRange)}]");
        Console.WriteLine($"  repaired:   {(outcome.Repaired ? "yes (the input was damaged; the stamp's update repairs it)" : "no")}");
        Console.WriteLine($"  certified:  {(outcome.Certified ? "yes (DocMDP P=2)" : "no")}");
        Console.WriteLine($"  timestamp:  {(outcome.Timestamped ? "yes (PAdES B-T)" : "no (PAdES B-B)")}");
        Console.WriteLine($"  signer:     {issuer.Signer.Certificate.Subject}");
        return 0;
    }

    private static bool TryParseRect(string text, out PdfRect rect)
    {
        rect = default;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 4) return false;
        var v = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !double.IsFinite(v[i])) return false;
        }

        rect = new PdfRect(v[0], v[1], v[2], v[3]);
        return true;
    }

    private static int Fail(string code, string message)
    {
        Console.Error.WriteLine($"error: {code}: {message}");
        return 2;
    }
}
