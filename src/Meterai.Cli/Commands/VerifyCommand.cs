using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using Meterai.Pdf.Signing;
using Meterai.Pdf.Verification;

namespace Meterai.Cli.Commands;

/// <summary>
/// `meterai verify FILE.pdf`: lists every signature — valid or not, signer, e-Meterai serial, what changed after it.
/// Exit codes: 0 every signature valid and nothing but signatures added after an e-Meterai; 1 a signature is
/// invalid, the file was changed after an e-Meterai, or it has no signature; 2 the file cannot be read.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "the PDF to verify" };
        var password = new Option<string?>("--password") { Description = "user or owner password of an encrypted PDF" };
        var trust = new Option<string?>("--trust") { Description = "a PEM file of trusted root certificates (default: the development root under --data-dir when present)" };
        var dataDir = new Option<string>("--data-dir") { Description = "data folder holding keys/", DefaultValueFactory = _ => "data" };
        var command = new Command("verify", "verify every signature of a PDF and what changed after each");
        command.Arguments.Add(file);
        command.Options.Add(password);
        command.Options.Add(trust);
        command.Options.Add(dataDir);
        command.SetAction(parse => Run(parse.GetValue(file)!, parse.GetValue(password), parse.GetValue(trust), parse.GetValue(dataDir)!));
        return command;
    }

    private static int Run(FileInfo file, string? password, string? trustPath, string dataDir)
    {
        if (!file.Exists)
        {
            Console.Error.WriteLine($"error: not_found: {file.FullName} does not exist");
            return 2;
        }

        var roots = TrustedRoots(trustPath, dataDir);
        using var input = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var result = PdfVerifier.Verify(input, password, trustedRoots: roots);
        if (!result.IsOk)
        {
            Console.Error.WriteLine($"error: {result.Error.Code}: {result.Error.Message}");
            return 2;
        }

        var report = result.Value;
        Console.WriteLine($"{file.FullName}: {report.FileLength} bytes, {report.Signatures.Count} signature{(report.Signatures.Count == 1 ? "" : "s")}{(report.Damaged ? " (cross-reference data damaged)" : "")}");
        var number = 0;
        foreach (var s in report.Signatures)
        {
            number++;
            Console.WriteLine();
            Console.WriteLine($"#{number} {s.FieldName}{(s.IsEMeterai ? $"  [e-Meterai {s.Serial}]" : "")}");
            Console.WriteLine($"  integrity:   {(s.IntegrityValid ? "VALID" : $"INVALID ({s.FailureCode}: {s.FailureMessage})")}");
            Console.WriteLine($"  signer:      {s.SignerName ?? "unknown"}{(s.SignerSubject is null ? "" : $" ({s.SignerSubject})")}");
            if (s.Trusted is { } trusted) Console.WriteLine($"  trusted:     {(trusted ? "yes (chains to a trusted root)" : "no (not issued under the trusted roots)")}");
            Console.WriteLine($"  sub-filter:  {s.SubFilter ?? "none"}");
            if (s.SigningTime is { } when) Console.WriteLine($"  signed at:   {when:yyyy-MM-dd HH:mm:ss zzz} (claimed by the signer)");
            if (s.TimestampTime is { } ts) Console.WriteLine($"  timestamp:   {ts:yyyy-MM-dd HH:mm:ss zzz} (RFC 3161)");
            if (s.CertificationLevel is { } p) Console.WriteLine($"  certifies:   DocMDP P={p}");
            if (s.Reason is not null) Console.WriteLine($"  reason:      {s.Reason}");
            Console.WriteLine($"  revision:    bytes 0..{s.RevisionEnd} sha-256 {s.RevisionSha256}{(s.CoversWholeFile ? " (the whole file)" : "")}");
            Console.WriteLine($"  after it:    {Describe(s.ChangesAfter)}");
            foreach (var note in s.ChangeNotes.Take(10)) Console.WriteLine($"               - {note}");
            if (s.ChangeNoteCount > 10) Console.WriteLine($"               … and {s.ChangeNoteCount - 10} more");
        }

        if (report.Signatures.Count == 0)
        {
            Console.WriteLine("no signatures");
            return 1;
        }

        if (!report.AllValid || report.ChangedAfterEMeterai)
        {
            Console.WriteLine();
            Console.WriteLine(report.ChangedAfterEMeterai ? "RESULT: the file was changed after an e-Meterai" : "RESULT: a signature is invalid");
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine("RESULT: every signature is valid");
        return 0;
    }

    private static string Describe(ModificationLevel level) => level switch
    {
        ModificationLevel.None => "nothing changed",
        ModificationLevel.Harmless => "only what the allow-list admits: later signatures, DSS, timestamps, metadata",
        _ => "CHANGED (the document was modified after it was signed)",
    };

    private static List<X509Certificate2>? TrustedRoots(string? trustPath, string dataDir)
    {
        var path = trustPath ?? Path.Combine(dataDir, "keys", DevelopmentIssuer.FolderName, "root-ca.pem");
        if (!File.Exists(path)) return null;
        var collection = new X509Certificate2Collection();
        collection.ImportFromPemFile(path);
        return [.. collection];
    }
}
