using System.Globalization;
using System.Text.RegularExpressions;
using Meterai.Core.Serials;
using Meterai.Pdf.Appearance;
using QRCoder;

namespace Meterai.Pdf.Tests.Appearance;

public class StampAppearanceBuilderTests
{
    private static readonly SerialNumber Serial = SerialNumber.Parse(WithCheck("0123456789ABCDEFGHIJK")).Value;
    private static readonly string Url = "https://meterai.example.id/v/" + Serial.Value;

    [Fact]
    public void Same_inputs_give_the_same_bytes()
    {
        var a = Build(200, 80);
        var b = Build(200, 80);
        Assert.Equal(a.Content, b.Content);
        Assert.NotEqual(a.Content, Build(120, 200).Content);
    }

    [Fact]
    public void Content_shows_the_four_lines_and_the_whole_serial()
    {
        Assert.Equal(
            ["METERAI ELEKTRONIK", "10000", "SEPULUH RIBU RUPIAH", Serial.Value],
            ContentTokens.ShownStrings(Build(200, 80).Content));
    }

    [Fact]
    public void Content_uses_only_the_font_resource_and_short_invariant_numbers()
    {
        var tokens = ContentTokens.Tokenize(Build(200, 80).Content);

        Assert.All(tokens.Where(t => t.StartsWith('/')), t => Assert.Equal("/" + StampAppearance.FontResourceName, t));
        Assert.DoesNotContain("Do", tokens);
        Assert.DoesNotContain("gs", tokens);
        Assert.DoesNotContain("BI", tokens);
        foreach (var t in tokens.Where(t => t.Length > 0 && (char.IsDigit(t[0]) || t[0] is '-' or '.')))
        {
            Assert.Matches(@"^-?\d+(\.\d{1,3})?$", t);
        }

        // Balanced state: what the stamp sets stays inside it.
        Assert.Equal(tokens.Count(t => t == "q"), tokens.Count(t => t == "Q"));
        Assert.Equal(tokens.Count(t => t == "BT"), tokens.Count(t => t == "ET"));
    }

    [Fact]
    public void Qr_rectangles_reproduce_qrcoder_matrix_module_for_module()
    {
        using var expected = QRCodeGenerator.GenerateQrCode(Url, QRCodeGenerator.ECCLevel.M);
        var n = expected.ModuleMatrix.Count;
        Assert.Equal(17 + 4 * expected.Version + 8, n); // QRCoder's matrix carries the 4-module quiet zone

        var tokens = ContentTokens.Tokenize(Build(200, 80).Content);
        var cm = tokens.IndexOf("cm");
        var drawn = new bool[n, n];
        var runs = 0;
        for (var i = cm + 1; tokens[i] != "f"; i += 5)
        {
            Assert.Equal("re", tokens[i + 4]);
            Assert.Equal("1", tokens[i + 3]); // one module high: runs are horizontal
            int x = int.Parse(tokens[i]), y = int.Parse(tokens[i + 1]), width = int.Parse(tokens[i + 2]);
            for (var c = x; c < x + width; c++)
            {
                Assert.False(drawn[n - 1 - y, c], "modules drawn twice");
                drawn[n - 1 - y, c] = true;
            }

            runs++;
        }

        for (var row = 0; row < n; row++)
        {
            for (var col = 0; col < n; col++) Assert.True(expected.ModuleMatrix[row][col] == drawn[row, col], $"module ({row},{col}) differs");
        }

        // Runs are maximal: the count equals the number of dark runs in the matrix.
        var expectedRuns = 0;
        for (var row = 0; row < n; row++)
        {
            for (var col = 0; col < n; col++)
            {
                if (expected.ModuleMatrix[row][col] && (col == 0 || !expected.ModuleMatrix[row][col - 1])) expectedRuns++;
            }
        }

        Assert.Equal(expectedRuns, runs);
        Assert.Equal(1, tokens.Count(t => t == "f") - 2); // background and QR white square are the other two fills
    }

    [Theory]
    [InlineData(220, 80, true)]
    [InlineData(400, 120, true)]
    [InlineData(110, 150, false)]
    [InlineData(120, 120, false)]
    [InlineData(130, 400, false)]
    public void Wide_rectangles_put_the_qr_beside_the_text_and_tall_ones_above_it(double width, double height, bool beside)
    {
        var layout = StampLayout.Compute(width, height, 41, StampTextMetrics.Default);
        Assert.True(layout.IsLegible);
        Assert.Equal(beside, layout.QrBesideText);
        if (beside) Assert.True(layout.Qr.X + layout.Qr.Width <= layout.Text.X);
        else Assert.True(layout.Text.Top <= layout.Qr.Y);
    }

    [Fact]
    public void Every_accepted_size_keeps_modules_and_text_above_their_minimums_inside_the_frame()
    {
        var accepted = 0;
        for (var width = 40.0; width <= 420; width += 19)
        {
            for (var height = 30.0; height <= 420; height += 23)
            {
                var result = StampAppearanceBuilder.Build(Serial, Url, width, height);
                if (!result.IsOk)
                {
                    Assert.Equal(StampAppearanceErrors.RectTooSmall, result.Error.Code);
                    continue;
                }

                accepted++;
                var layout = StampLayout.Compute(width, height, 41, StampTextMetrics.Default);
                Assert.True(layout.ModuleSize(41) >= StampStyle.MinModule, $"{width}x{height}: module {layout.ModuleSize(41)}");
                Assert.True(layout.Fit.Serial >= StampStyle.MinSerialSize, $"{width}x{height}: serial {layout.Fit.Serial}");
                Assert.True(Math.Min(layout.Fit.Title, layout.Fit.Words) >= StampStyle.MinTextSize, $"{width}x{height}: text");
                Assert.True(layout.Fit.Amount > layout.Fit.Title, $"{width}x{height}: the amount should dominate");

                var frame = layout.InnerFrame;
                foreach (var box in new[] { layout.Qr, layout.Text })
                {
                    Assert.True(box.X >= frame.X && box.Y >= frame.Y && box.X + box.Width <= frame.X + frame.Width && box.Top <= frame.Top, $"{width}x{height}: {box} leaves the frame");
                }

                var text = layout.Text;
                Assert.True(layout.Baselines[0] + StampTextMetrics.Default.Ascent * layout.Fit.Title <= text.Top + 1e-6, $"{width}x{height}: title above its box");
                Assert.True(layout.Baselines[3] + StampTextMetrics.Default.Descent * layout.Fit.Serial >= text.Y - 1e-6, $"{width}x{height}: serial below its box");
            }
        }

        Assert.True(accepted > 50, $"only {accepted} sizes accepted");
    }

    [Theory]
    [InlineData(60, 40)]
    [InlineData(100, 30)]
    [InlineData(40, 100)]
    [InlineData(1, 1)]
    public void Too_small_rectangle_is_refused_with_a_minimum_that_works(double width, double height)
    {
        var result = StampAppearanceBuilder.Build(Serial, Url, width, height);

        Assert.Equal(StampAppearanceErrors.RectTooSmall, result.Error?.Code);
        var match = Regex.Match(result.Error!.Message, @"at least (\d+(?:\.\d+)?) × (\d+(?:\.\d+)?) pt");
        Assert.True(match.Success, result.Error.Message);
        var minWidth = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var minHeight = double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);

        // The stated minimum keeps the aspect ratio, works, and is tight: 3 % less does not.
        Assert.Equal(width / height, minWidth / minHeight, 0.05);
        Assert.True(StampAppearanceBuilder.Build(Serial, Url, minWidth, minHeight).IsOk);
        Assert.False(StampAppearanceBuilder.Build(Serial, Url, minWidth * 0.97, minHeight * 0.97).IsOk);
    }

    [Fact]
    public void Extreme_aspect_ratio_is_refused_without_a_minimum()
    {
        var result = StampAppearanceBuilder.Build(Serial, Url, 14400, 2);
        Assert.Equal(StampAppearanceErrors.RectTooSmall, result.Error?.Code);
        Assert.Contains("no size of this aspect ratio", result.Error!.Message);
    }

    [Theory]
    [InlineData(double.NaN, 100)]
    [InlineData(100, double.PositiveInfinity)]
    [InlineData(0, 100)]
    [InlineData(-200, 100)]
    [InlineData(14401, 100)]
    [InlineData(0.0004, 0.0004)] // rounds to zero at the content's 1/1000 pt
    public void Invalid_rectangle_is_refused(double width, double height)
    {
        Assert.Equal(StampAppearanceErrors.RectInvalid, StampAppearanceBuilder.Build(Serial, Url, width, height).Error?.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{0}")]
    [InlineData("meterai.example.id/v/{0}")]
    [InlineData("ftp://meterai.example.id/v/{0}")]
    [InlineData("https://meterai example.id/v/{0}")]
    [InlineData("https://metérai.example.id/v/{0}")]
    [InlineData("https://meterai.example.id/x/{0}")]
    [InlineData("https://meterai.example.id/v/{0}/")]
    [InlineData("https://meterai.example.id/v/0123456789ABCDEFGHIJKA")] // another serial
    public void Invalid_verify_url_is_refused(string template)
    {
        var url = string.Format(CultureInfo.InvariantCulture, template, Serial.Value);
        Assert.Equal(StampAppearanceErrors.VerifyUrlInvalid, StampAppearanceBuilder.Build(Serial, url, 200, 80).Error?.Code);
    }

    [Fact]
    public void Builds_on_many_threads_at_once_give_the_same_bytes_as_one_thread()
    {
        var serials = Enumerable.Range(0, 16).Select(_ => SerialNumber.New()).ToArray();
        var sizes = new[] { (200.0, 80.0), (120.0, 160.0), (300.0, 100.0) };
        var expected = serials.Select(s => sizes.Select(z => StampAppearanceBuilder.Build(s, "https://m.example.id/v/" + s.Value, z.Item1, z.Item2).Value.Content).ToArray()).ToArray();

        Parallel.For(0, 400, i =>
        {
            var s = i % serials.Length;
            var z = i % sizes.Length;
            var actual = StampAppearanceBuilder.Build(serials[s], "https://m.example.id/v/" + serials[s].Value, sizes[z].Item1, sizes[z].Item2).Value.Content;
            Assert.Equal(expected[s][z], actual);
        });
    }

    [Fact]
    public void Over_long_verify_url_is_refused()
    {
        var url = "https://meterai.example.id/" + new string('a', StampQrCode.MaxUrlLength) + "/v/" + Serial.Value;
        var result = StampAppearanceBuilder.Build(Serial, url, 200, 80);
        Assert.Equal(StampAppearanceErrors.VerifyUrlInvalid, result.Error?.Code);
        Assert.Contains("512", result.Error!.Message);
    }

    [Fact]
    public void Size_is_kept_to_the_thousandth_of_a_point_the_content_uses()
    {
        var stamp = StampAppearanceBuilder.Build(Serial, Url, 200.12345, 80.0006).Value;
        Assert.Equal((200.123, 80.001), (stamp.Width, stamp.Height));
        Assert.Same(StampFont.Default, stamp.Font);
    }

    /// <summary>Completes a 21-character body with the check character that makes it a valid serial.</summary>
    internal static string WithCheck(string body)
    {
        foreach (var c in SerialNumber.Alphabet)
        {
            if (SerialNumber.TryParse(body + c, out var serial)) return serial.Value;
        }

        throw new InvalidOperationException("no check character fits");
    }

    private static StampAppearance Build(double width, double height) => StampAppearanceBuilder.Build(Serial, Url, width, height).Value;
}
