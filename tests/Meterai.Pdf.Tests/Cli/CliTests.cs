using System.Diagnostics;
using System.Text;
using Meterai.Pdf.Stamping;
using Meterai.Pdf.Tests.Support;

namespace Meterai.Pdf.Tests.Cli;

/// <summary>`meterai stamp` and `meterai verify` run as a user runs them: exit codes, messages, files.</summary>
public class CliTests
{
    private static readonly string DataDir = Path.Combine(Path.GetTempPath(), "meterai-cli-" + Environment.ProcessId);

    private static (int Code, string Out, string Err) Meterai(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.Environment["METERAI_Secrets__KeyEncryptionKey"] = global::Meterai.TestSupport.TestSecrets.KeyEncryptionKey; // not the user's development key file
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "meterai.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--data-dir");
        psi.ArgumentList.Add(DataDir);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(60)), "meterai did not finish");
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Stamp_then_verify_succeeds_and_reports_the_serial()
    {
        var input = Fixtures.Fixtures.Save("cli-in.pdf", Fixtures.Fixtures.Plain);
        var output = Path.Combine(Path.GetDirectoryName(input)!, "cli-out.pdf");
        var stamp = Meterai("stamp", input, "-o", output, "--page", "2", "--rect", "300,100,440,190");
        Assert.True(stamp.Code == 0, stamp.Err);
        var serial = stamp.Out.Split('\n').Single(l => l.TrimStart().StartsWith("serial:", StringComparison.Ordinal)).Split(':')[1].Trim();
        Assert.True(File.ReadAllBytes(output).AsSpan(0, Fixtures.Fixtures.Plain.Length).SequenceEqual(Fixtures.Fixtures.Plain));

        var verify = Meterai("verify", output);
        Assert.True(verify.Code == 0, verify.Out + verify.Err);
        Assert.Contains($"[e-Meterai {serial}]", verify.Out);
        Assert.Contains("integrity:   VALID", verify.Out);
        Assert.Contains("trusted:     yes", verify.Out);
        Assert.Contains("RESULT: every signature is valid", verify.Out);
    }

    [Fact]
    public void Stamp_without_a_rect_takes_the_free_spot_nearest_the_bottom_right()
    {
        // Text over the whole bottom-right corner (the usual place included), whatever the default size.
        var page = global::Meterai.Bench.SamplePdf.Page(global::Meterai.Bench.SamplePdf.TextBlock(250, DefaultStampSize.Margin + DefaultStampSize.Height + 20, 10, 60));
        var input = Fixtures.Fixtures.Save("cli-auto-in.pdf", page);
        var output = Path.Combine(Path.GetDirectoryName(input)!, "cli-auto-out.pdf");

        var stamp = Meterai("stamp", input, "-o", output);

        Assert.True(stamp.Code == 0, stamp.Err);
        Assert.Contains("placement:  auto, moved off the page's ink", stamp.Out);
        var expected = PageInspector.ChooseSpot(new MemoryStream(page), 1).Value.Rect;
        Assert.Contains(FormattableString.Invariant($"rectangle:  [{expected.X1:0.##} {expected.Y1:0.##} {expected.X2:0.##} {expected.Y2:0.##}]"), stamp.Out);
    }

    [Fact]
    public void Bad_input_gets_a_code_a_message_and_a_non_zero_exit_and_leaves_no_file()
    {
        var dir = Path.GetDirectoryName(Fixtures.Fixtures.Save("cli-probe.pdf", Fixtures.Fixtures.Plain))!;
        var notPdf = Path.Combine(dir, "cli-not.pdf");
        File.WriteAllText(notPdf, "hello");
        var output = Path.Combine(dir, "cli-never.pdf");

        var r = Meterai("stamp", notPdf, "-o", output);
        Assert.Equal(2, r.Code);
        Assert.StartsWith("error: not_a_pdf:", r.Err.Trim());
        Assert.False(File.Exists(output));

        r = Meterai("stamp", Path.Combine(dir, "cli-probe.pdf"), "-o", output, "--rect", "1,2,3");
        Assert.Equal(2, r.Code);
        Assert.StartsWith("error: invalid_request:", r.Err.Trim());

        r = Meterai("stamp", Path.Combine(dir, "cli-probe.pdf"), "-o", output, "--rect", "500,700,900,900");
        Assert.Equal(2, r.Code);
        Assert.StartsWith("error: rect_off_page:", r.Err.Trim());
        Assert.False(File.Exists(output));

        r = Meterai("verify", notPdf);
        Assert.Equal(2, r.Code);
        Assert.StartsWith("error: not_a_pdf:", r.Err.Trim());
    }

    [Fact]
    public void Verify_exits_non_zero_without_signatures_with_an_invalid_one_and_after_real_changes()
    {
        var unsigned = Fixtures.Fixtures.Save("cli-unsigned.pdf", Fixtures.Fixtures.Plain);
        var r = Meterai("verify", unsigned);
        Assert.Equal(1, r.Code);
        Assert.Contains("no signatures", r.Out);

        // A byte of the signed revision changed: the signature no longer verifies.
        var (stamped, _) = Stamping.StampTestKit.Stamp(Fixtures.Fixtures.Plain);
        var tampered = (byte[])stamped.Clone();
        var at = Encoding.Latin1.GetString(tampered).IndexOf("Fixture page 1", StringComparison.Ordinal);
        tampered[at] = (byte)'f';
        r = Meterai("verify", Fixtures.Fixtures.Save("cli-tampered.pdf", tampered));
        Assert.Equal(1, r.Code);
        Assert.Contains("INVALID (digest_mismatch", r.Out);

        // The signature is intact but a later update changed the page it sealed.
        r = Meterai("verify", Fixtures.Fixtures.Save("cli-changed.pdf", Stamping.StampTestKit.AppendContentChange(stamped)));
        Assert.Equal(1, r.Code);
        Assert.Contains("integrity:   VALID", r.Out);
        Assert.Contains("RESULT: the file was changed after an e-Meterai", r.Out);
    }
}
