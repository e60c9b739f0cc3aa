using System.Text.Json;
using Meterai.Bench;
using Meterai.Pdf.Tests.Stamping;
using Meterai.Pdf.Tests.Support;
using Meterai.Pdf.Verification;
using Meterai.TestSupport;

namespace Meterai.Pdf.Tests.Verification;

/// <summary>
/// The allow-list, fuzzed: thousands of generated updates appended to stamped files, each labelled by construction;
/// every one must be rated changed unless it is on the allow-list, and every allowed one harmless. The count is
/// METERAI_FUZZ_UPDATES (default 2,000, a few seconds), the seed METERAI_FUZZ_SEED.
/// </summary>
public class UpdateFuzzTests
{
    private static readonly Lazy<IReadOnlyList<StampedBase>> Bases = new(() =>
    [
        StampedBase.Of("plain", SamplePdf.Create(pages: 2)),
        StampedBase.Of("plain-stamped-twice", StampTestKit.Stamp(SamplePdf.Create(pages: 2)).Output),
        StampedBase.Of("object-streams", Fixtures.Fixtures.ObjectStreams),
        StampedBase.Of("form", Fixtures.Fixtures.WithForm),
        StampedBase.Of("missing-xobject", TamperedPdf.WithMissingXObject()),
    ]);

    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("METERAI_FUZZ_UPDATES"), out var n) && n > 0 ? n : 2_000;

    private static int Seed => int.TryParse(Environment.GetEnvironmentVariable("METERAI_FUZZ_SEED"), out var s) ? s : 20_251_210;

    [Fact]
    public void Every_generated_update_is_changed_unless_the_allow_list_admits_it()
    {
        var generator = new UpdateGenerator(Bases.Value, Seed);
        var wrong = new List<string>();
        var seen = new Dictionary<string, int>();
        for (var i = 0; i < Count; i++)
        {
            var update = generator.Next();
            var kind = update.Kind[..update.Kind.IndexOf(" on ", StringComparison.Ordinal)];
            seen[kind] = seen.GetValueOrDefault(kind) + 1;
            if (Misjudged(update) is { } why && wrong.Count < 20) wrong.Add($"#{i} {update.Kind}: {why}");
        }

        Assert.True(wrong.Count == 0, $"seed {Seed}:\n" + string.Join("\n", wrong));
        // Every kind was tried (the run is large enough for each to come up).
        Assert.All(generator.KindNames, k => Assert.True(seen.ContainsKey(k.Kind), $"kind {k.Kind} never generated"));
    }

    [Fact]
    public void A_file_stamped_again_by_the_engine_keeps_both_signatures_valid_and_the_first_harmless()
    {
        foreach (var b in Bases.Value)
        {
            var (twice, _) = StampTestKit.Stamp(b.Bytes);
            StampTestKit.AssertSound(b.Bytes, twice, $"fuzz-base-{b.Name}-stamped-again.pdf");
            var report = StampTestKit.Verify(twice);
            Assert.All(report.Signatures, s => Assert.True(s.IntegrityValid, $"{b.Name}: {s.FieldName}: {s.FailureCode}"));
            Assert.All(report.Signatures.SkipLast(1), s => Assert.True(s.ChangesAfter == ModificationLevel.Harmless, $"{b.Name}: {s.FieldName}: {s.ChangesAfter} {string.Join("; ", s.ChangeNotes)}"));
            Assert.Equal(ModificationLevel.None, report.Signatures[^1].ChangesAfter);
            Assert.True(report.AllValid);
        }
    }

    /// <summary>
    /// pyHanko's difference analysis (../shared/tools/pades-check) on a few generated files of each kind: where it rates
    /// the changes after a signature OTHER (not permitted), ours must say changed; files made by a real second stamp it
    /// must accept, and so must we.
    /// </summary>
    [Fact]
    public void Where_pyhanko_rates_a_change_not_permitted_the_verifier_says_changed()
    {
        var tool = PadesCheck();
        var generator = new UpdateGenerator(Bases.Value, Seed);
        var dir = Directory.CreateTempSubdirectory("meterai-pyhanko-").FullName;
        try
        {
            var cases = generator.KindNames.Select(k => generator.Of(k.Kind)).ToList();
            var paths = cases.Select((c, i) => Path.Combine(dir, $"{i:D2}-{c.Kind.Replace(' ', '_')}.pdf")).ToList();
            for (var i = 0; i < cases.Count; i++) File.WriteAllBytes(paths[i], cases[i].File);
            var run = ExternalTool.Run("/usr/bin/python3", [tool, "--trust", TestSigner.Issuer.RootCertificatePemPath, .. paths, "--json"], TimeSpan.FromMinutes(5));
            Assert.True(run.ExitCode is 0 or 1, $"pades-check exited {run.ExitCode}: {run.All}");
            var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(cases.Count, lines.Length);
            var disagreements = new List<string>();
            var pyhankoOther = 0;
            for (var i = 0; i < cases.Count; i++)
            {
                using var json = JsonDocument.Parse(lines[i]);
                var ours = StampTestKit.Verify(cases[i].File).Signatures;
                foreach (var theirs in json.RootElement.GetProperty("signatures").EnumerateArray())
                {
                    var field = theirs.GetProperty("field").GetString();
                    var level = theirs.TryGetProperty("modification_level", out var l) ? l.GetString() : null;
                    var mine = ours.Single(s => s.FieldName == field);
                    if (!mine.IsEMeterai) continue;
                    if (level == "OTHER") pyhankoOther++;
                    if (level == "OTHER" && mine.ChangesAfter != ModificationLevel.Changed) disagreements.Add($"{cases[i].Kind}: pyHanko OTHER, ours {mine.ChangesAfter}");
                    if (cases[i].Kind.StartsWith("second-stamp", StringComparison.Ordinal) && (level == "OTHER" || mine.ChangesAfter == ModificationLevel.Changed))
                    {
                        disagreements.Add($"{cases[i].Kind}: a real second stamp rated {level} by pyHanko, {mine.ChangesAfter} by us");
                    }
                }
            }

            Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
            Assert.True(pyhankoOther > 0, "pyHanko rated nothing OTHER: the cross-check checked nothing");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>An applicant signing the stamped document with pyHanko (a visible or an invisible field): allowed by both analyses.</summary>
    [Theory]
    [InlineData("visible")]
    [InlineData("invisible")]
    public void A_signature_pyhanko_adds_after_the_stamp_leaves_the_stamp_harmless(string look)
    {
        var tool = PadesCheck();
        var dir = Directory.CreateTempSubdirectory("meterai-pyhanko-sign-").FullName;
        try
        {
            var stamped = Path.Combine(dir, "stamped.pdf");
            var signed = Path.Combine(dir, "signed.pdf");
            var script = Path.Combine(dir, "sign.py");
            File.WriteAllBytes(stamped, Bases.Value[0].Bytes);
            File.WriteAllText(script, PyHankoSign);
            // The issuer's key as a PKCS#12 of the test's own (the data folder's password is sealed with the key-encryption key).
            var p12 = Path.Combine(dir, "applicant.p12");
            const string p12Password = "pyhanko-test";
            var signer = TestSigner.Issuer.Signer;
            var bundle = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection(signer.Certificate);
            foreach (var c in signer.Chain) bundle.Add(c);
            File.WriteAllBytes(p12, bundle.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, p12Password)!);
            var run = ExternalTool.Run("/usr/bin/python3", [script, Path.Combine(Path.GetDirectoryName(tool)!, "pyhanko", "lib"), p12, p12Password, stamped, signed, look]);
            Assert.True(run.ExitCode == 0, run.All);

            var report = StampTestKit.Verify(File.ReadAllBytes(signed));
            Assert.Equal(2, report.Signatures.Count);
            Assert.True(report.AllValid);
            Assert.Equal(ModificationLevel.Harmless, report.Signatures.Single(s => s.IsEMeterai).ChangesAfter);
            var check = ExternalTool.Run("/usr/bin/python3", [tool, "--trust", TestSigner.Issuer.RootCertificatePemPath, signed]);
            Assert.True(check.ExitCode == 0, check.All);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static string PadesCheck()
    {
        var tool = Path.Combine(TestEnvironment.RepositoryRoot, "..", "shared", "tools", "pades-check");
        if (File.Exists(tool)) return tool;
        if (TestEnvironment.CorpusRequired) Assert.Fail("../shared/tools/pades-check is required here but absent.");
        Assert.Skip("../shared/tools/pades-check not present");
        return null!;
    }

    /// <summary>Signs a PDF with pyHanko (the shared copy's library), adding a new signature field "Pemohon".</summary>
    private const string PyHankoSign = """
        import sys
        sys.path.insert(0, sys.argv[1])
        from pyhanko.sign import signers, fields
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        p12, password, src, dst, look = sys.argv[2], sys.argv[3].encode(), sys.argv[4], sys.argv[5], sys.argv[6]
        signer = signers.SimpleSigner.load_pkcs12(p12, passphrase=password)
        with open(src, "rb") as f:
            box = (60, 60, 260, 120) if look == "visible" else None
            spec = fields.SigFieldSpec("Pemohon", on_page=0, box=box)
            meta = signers.PdfSignatureMetadata(field_name="Pemohon", subfilter=fields.SigSeedSubFilter.PADES)
            out = signers.sign_pdf(IncrementalPdfFileWriter(f), meta, signer=signer, new_field_spec=spec)
            open(dst, "wb").write(out.getvalue())
        """;

    private static string? Misjudged(GeneratedUpdate update)
    {
        var result = PdfVerifier.Verify(new MemoryStream(update.File, writable: false));
        if (!result.IsOk) return $"not verifiable: {result.Error}";
        // A "changed" that comes from an update nobody can read would prove nothing about the allow-list.
        if (result.Value.Damaged) return "the generated update broke the file's cross-reference data";
        var secondStamp = update.Kind.StartsWith("second-stamp", StringComparison.Ordinal);
        var stamps = result.Value.Signatures.Where(s => s.IsEMeterai && !(secondStamp && s.ChangesAfter == ModificationLevel.None)).ToList();
        // An update that unlists the stamp's field leaves no e-Meterai to call valid: not fooled, unless it was allowed.
        if (stamps.Count == 0) return update.Allowed ? "no e-Meterai found after an allowed update" : null;
        if (update.TouchesLastStampOnly) stamps = [stamps[^1]];
        foreach (var s in stamps)
        {
            if (!s.IntegrityValid) return $"{s.FieldName} does not verify: {s.FailureCode}";
            if (s.ChangeNotes.Any(n => n.Contains("cannot be", StringComparison.Ordinal))) return $"the generated update cannot be analysed: {string.Join("; ", s.ChangeNotes)}";
            var expected = update.Allowed ? ModificationLevel.Harmless : ModificationLevel.Changed;
            if (s.ChangesAfter != expected) return $"{s.FieldName}: expected {expected}, got {s.ChangesAfter} ({string.Join("; ", s.ChangeNotes)})";
        }

        return null;
    }
}
