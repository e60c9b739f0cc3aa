using System.Globalization;
using System.Text.RegularExpressions;
using Meterai.Core.Serials;
using Meterai.Pdf.Appearance;
using QRCoder;

namespace Meterai.Pdf.Tests.Appearance;

public class StampAppearanceBuilderTests
{
    private static readonly SerialNumber Serial = SerialNumber.Parse(WithCheck("0123456789ABCDEFGHIJK")).Value;
    private static readonly string Url = VerifyAddress.For("https://meterai.example", Serial); // 48 characters: QR version 4

    [Fact]
    public void Same_inputs_give_the_same_bytes()
    {
        var a = Build(200, 80);
        var b = Build(200, 80);
        Assert.Equal(a.Content, b.Content);
        Assert.NotEqual(a.Content, Build(120, 200).Content);
    }

    [Fact]
    public void Content_shows_the_panel_lines_and_the_whole_serial()
    {
        Assert.Equal(
            ["METERAI", "ELEKTRONIK", "10000", "SEPULUH RIBU RUPIAH", Serial.Value],
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

    [Theory]
    [InlineData(200, 80)] // beside: every module drawn
    [InlineData(62, 62)] // framed: all but those under the panel
    public void Qr_rectangles_reproduce_qrcoder_matrix_module_for_module(double width, double height)
    {
        using var expected = QRCodeGenerator.GenerateQrCode(Url, QRCodeGenerator.ECCLevel.H);
        Assert.Equal(4, expected.Version);
        Assert.Equal(17 + 4 * expected.Version + 8, expected.ModuleMatrix.Count); // QRCoder's matrix carries the 4-module quiet zone
        var layout = Layout(width, height);
        var n = expected.ModuleMatrix.Count - 2 * layout.QrTrim;
        Assert.Equal(n, layout.QrModules);
        bool Dark(int row, int col) => !layout.Hole.Contains(col, row) && expected.ModuleMatrix[row + layout.QrTrim][col + layout.QrTrim];

        var tokens = ContentTokens.Tokenize(Build(width, height).Content);
        var cm = tokens.IndexOf("cm");
        var drawn = new bool[n, n];
        var runs = 0;
        for (var i = cm + 1; tokens[i] != "f"; i += 5)
        {
            Assert.Equal("re", tokens[i + 4]);
            Assert.Equal("1", tokens[i + 3]); // one module high: runs are horizontal
            int x = int.Parse(tokens[i]), y = int.Parse(tokens[i + 1]), w = int.Parse(tokens[i + 2]);
            for (var c = x; c < x + w; c++)
            {
                Assert.False(drawn[n - 1 - y, c], "modules drawn twice");
                drawn[n - 1 - y, c] = true;
            }

            runs++;
        }

        var expectedRuns = 0;
        for (var row = 0; row < n; row++)
        {
            for (var col = 0; col < n; col++)
            {
                Assert.True(Dark(row, col) == drawn[row, col], $"module ({row},{col}) differs");
                if (Dark(row, col) && (col == 0 || !Dark(row, col - 1))) expectedRuns++;
            }
        }

        Assert.Equal(expectedRuns, runs); // runs are maximal
        Assert.Equal(width == height, layout.Hole.Columns > 0);
    }

    [Theory]
    [InlineData(220, 80, StampArrangement.Beside)]
    [InlineData(160, 54, StampArrangement.Beside)]
    [InlineData(400, 100, StampArrangement.Beside)]
    [InlineData(54, 54, StampArrangement.Framed)]
    [InlineData(80, 70, StampArrangement.Framed)]
    [InlineData(54, 120, StampArrangement.Stacked)]
    public void Squares_are_framed_by_the_qr_code_and_wide_or_tall_stamps_put_the_panel_beside_or_below(double width, double height, StampArrangement arrangement)
    {
        var layout = Layout(width, height);
        Assert.True(layout.IsLegible, $"score {layout.Score}");
        Assert.Equal(arrangement, layout.Arrangement);
        var panel = layout.Panel.Box;
        switch (arrangement)
        {
            case StampArrangement.Framed:
                Assert.True(panel.X > layout.Qr.X && panel.Right < layout.Qr.Right && panel.Y > layout.Qr.Y && panel.Top < layout.Qr.Top, "the panel sits inside the QR square");
                Assert.True(layout.Hole.Columns > 0 && layout.Hole.Rows > 0);
                break;
            case StampArrangement.Beside:
                Assert.True(layout.Qr.Right <= panel.X + 1e-9, "the panel is right of the QR code");
                Assert.Equal(0, layout.Hole.Columns);
                break;
            default:
                Assert.True(panel.Top <= layout.Qr.Y + 1e-9, "the panel is below the QR code");
                break;
        }
    }

    [Fact]
    public void Every_accepted_size_keeps_modules_and_text_above_their_minimums_inside_the_panel()
    {
        var accepted = 0;
        for (var width = 30.0; width <= 420; width += 13)
        {
            for (var height = 30.0; height <= 420; height += 17)
            {
                var result = StampAppearanceBuilder.Build(Serial, Url, width, height);
                if (!result.IsOk)
                {
                    Assert.Equal(StampAppearanceErrors.RectTooSmall, result.Error.Code);
                    continue;
                }

                accepted++;
                var layout = Layout(width, height);
                var metrics = StampTextMetrics.Default;
                Assert.True(layout.ModuleSize >= StampStyle.MinModule, $"{width}x{height}: module {layout.ModuleSize}");
                Assert.True(layout.SerialSize >= StampStyle.MinSerialSize, $"{width}x{height}: serial {layout.SerialSize}");
                Assert.All(layout.Lines, l => Assert.True(l.Size >= StampStyle.MinTextSize, $"{width}x{height}: {l.Text} {l.Size}"));
                Assert.True(layout.Lines[0].Size > layout.Lines[1].Size, $"{width}x{height}: METERAI should be larger than ELEKTRONIK");

                var panel = layout.Panel.Box;
                Assert.True(panel.X >= 0 && panel.Y >= 0 && panel.Right <= width + 1e-9 && panel.Top <= height + 1e-9, $"{width}x{height}: panel leaves the stamp");
                foreach (var l in layout.Lines)
                {
                    var right = l.X + layout.TextWidth(l.Text, l.Size);
                    Assert.True(l.X >= panel.X && right <= panel.Right + 1e-9, $"{width}x{height}: {l.Text} leaves the panel across");
                    Assert.True(l.Baseline + metrics.Ascent * l.Size <= panel.Top + 1e-9 && l.Baseline + metrics.Descent * l.Size >= panel.Y - 1e-9, $"{width}x{height}: {l.Text} leaves the panel up or down");
                }

                Assert.True(layout.SerialBaseline + metrics.Descent * layout.SerialSize >= panel.Y - 1e-9, $"{width}x{height}: serial below the panel");
                var emblem = layout.EmblemBox;
                Assert.True(emblem.X >= panel.X && emblem.Right <= panel.Right + 1e-9 && emblem.Y >= panel.Y && emblem.Top <= panel.Top + 1e-9, $"{width}x{height}: emblem leaves the panel");
            }
        }

        Assert.True(accepted > 200, $"only {accepted} sizes accepted");
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

    /// <summary>The layout of <see cref="Url"/>'s QR code (version 4, 33 + 8 modules in QRCoder's matrix).</summary>
    internal static StampLayout Layout(double width, double height) => StampPicture.Create(Serial, Url, width, height).Value.Layout;

    private static StampAppearance Build(double width, double height) => StampAppearanceBuilder.Build(Serial, Url, width, height).Value;
}
