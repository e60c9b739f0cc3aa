using Meterai.Pdf.Appearance;
using SkiaSharp;

namespace Meterai.Pdf.Raster;

/// <summary>
/// The raster backend of <see cref="StampPicture"/>: paints the same primitives as the PDF content stream (paper, QR
/// modules, panel, emblem, lines, serial) with SkiaSharp, text in the engine's own embedded font subset, so a preview
/// is the stamp the PDF carries. Thread-safe: every call has its own surface.
/// </summary>
public static class StampRaster
{
    /// <summary>
    /// Bounds on the picture's larger side, in pixels: from 128 (3.5 pixels a module at QR version 4, what a 62 pt
    /// stamp gets from a 150 dpi rendering; at 64 pixels zbarimg failed to read it) to 1024, enough for a print
    /// preview and cheap to render.
    /// </summary>
    public const int MinPixels = 128, MaxPixels = 1024;

    private const int JpegQuality = 92; // QR edges stay crisp enough for a scanner

    private static readonly Lazy<SKTypeface> Typeface = new(() =>
    {
        using var data = SKData.CreateCopy(StampFont.Default.FontFile2);
        return SKTypeface.FromData(data) ?? throw new InvalidOperationException("SkiaSharp cannot read the stamp's font subset");
    });

    /// <summary>Renders the stamp with its larger side <paramref name="pixels"/> wide and encodes it.</summary>
    public static byte[] Render(StampPicture picture, int pixels, StampImageFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pixels, MinPixels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pixels, MaxPixels);
        var layout = picture.Layout;
        var scale = pixels / Math.Max(layout.Width, layout.Height);
        var info = new SKImageInfo(
            Math.Max(1, (int)Math.Round(layout.Width * scale)),
            Math.Max(1, (int)Math.Round(layout.Height * scale)),
            SKColorType.Rgba8888,
            format == StampImageFormat.Jpeg ? SKAlphaType.Opaque : SKAlphaType.Premul);
        using var surface = SKSurface.Create(info) ?? throw new InvalidOperationException("SkiaSharp could not create a surface");
        var canvas = surface.Canvas;
        canvas.Scale((float)(info.Width / layout.Width), (float)(info.Height / layout.Height));
        new Painter(canvas, layout.Height).Paint(picture);
        using var image = surface.Snapshot();
        using var encoded = image.Encode(format == StampImageFormat.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, JpegQuality)
                            ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}");
        return encoded.ToArray();
    }

    /// <summary>Paints in stamp points on a canvas whose y axis runs down: every y is turned as it is drawn.</summary>
    private readonly struct Painter(SKCanvas canvas, double height)
    {
        public void Paint(StampPicture picture)
        {
            var layout = picture.Layout;
            using var fill = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Fill };
            fill.Color = Colour(layout.Background);
            canvas.DrawRect(Rect(new StampBox(0, 0, layout.Width, layout.Height)), fill);

            // Modules edge to edge without anti-aliasing seams: one path of all runs, filled once (as in the PDF).
            var n = layout.QrModules;
            var module = layout.Qr.Width / n;
            using (var modules = new SKPathBuilder())
            {
                foreach (var run in picture.DarkRuns())
                {
                    var top = layout.Qr.Top - run.Row * module;
                    modules.AddRect(Rect(new StampBox(layout.Qr.X + run.Start * module, top - module, run.Length * module, module)), SKPathDirection.Clockwise);
                }

                fill.Color = Colour(layout.QrInk);
                using var path = modules.Detach();
                canvas.DrawPath(path, fill);
            }

            Panel(layout.Panel, fill);
            Emblem(layout.Emblem, layout.EmblemBox, fill);
            using var font = new SKFont(Typeface.Value) { Edging = SKFontEdging.Antialias, Subpixel = true };
            foreach (var line in layout.Lines) Text(line.Text, line.Size, line.X, line.Baseline, 100, line.Colour, font, fill);
            var serial = layout.SerialRun(picture.Serial);
            Text(picture.Serial, serial.Size, serial.X, serial.Baseline, serial.HorizontalScale, serial.Colour, font, fill);
        }

        private void Panel(StampPanel panel, SKPaint fill)
        {
            var box = panel.Box.Inset(panel.BorderWidth / 2);
            var r = (float)Math.Min(panel.Radius, Math.Min(box.Width, box.Height) / 2);
            fill.Color = Colour(panel.Fill);
            canvas.DrawRoundRect(Rect(box), r, r, fill);
            using var stroke = new SKPaint { IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = (float)panel.BorderWidth, Color = Colour(panel.Border) };
            canvas.DrawRoundRect(Rect(box), r, r, stroke);
        }

        private void Emblem(StampEmblem emblem, StampBox box, SKPaint fill)
        {
            if (box.Width <= 0 || box.Height <= 0) return;
            var h = height;
            SKPoint P(double ux, double uy) => new((float)(box.X + ux * box.Width), (float)(h - (box.Y + uy * box.Height)));
            foreach (var shape in emblem.Shapes)
            {
                using var builder = new SKPathBuilder { FillType = SKPathFillType.Winding };
                var path = builder;
                foreach (var s in shape.Path)
                {
                    switch (s.Verb)
                    {
                        case PathVerb.Move: path.MoveTo(P(s.X3, s.Y3)); break;
                        case PathVerb.Line: path.LineTo(P(s.X3, s.Y3)); break;
                        case PathVerb.Cubic: path.CubicTo(P(s.X1, s.Y1), P(s.X2, s.Y2), P(s.X3, s.Y3)); break;
                        default: path.Close(); break;
                    }
                }

                fill.Color = Colour(shape.Fill);
                using var drawn = builder.Detach();
                canvas.DrawPath(drawn, fill);
            }
        }

        private void Text(string text, double size, double x, double baseline, double horizontalScale, StampColour colour, SKFont font, SKPaint fill)
        {
            font.Size = (float)size;
            font.ScaleX = (float)(horizontalScale / 100);
            fill.Color = Colour(colour);
            canvas.DrawText(text, Point(x, baseline), SKTextAlign.Left, font, fill);
        }

        private SKPoint Point(double x, double y) => new((float)x, (float)(height - y));

        private SKRect Rect(StampBox b) => new((float)b.X, (float)(height - b.Top), (float)b.Right, (float)(height - b.Y));

        private static SKColor Colour(StampColour c) => new(c.R8, c.G8, c.B8);
    }
}
