using System.Globalization;
using System.Xml;
using Meterai.Core.Common;

namespace Meterai.Pdf.Appearance;

/// <summary>
/// Reads an operator's emblem from SVG: the root's <c>viewBox</c> and every <c>&lt;path d="…" fill="#rrggbb"&gt;</c>,
/// in document order (commands M L H V C Z, absolute and relative; fill as #rgb or #rrggbb, black when absent). That
/// subset is what vector editors export for a flat logo, and it stays vectors in the PDF; anything else in the file
/// (groups' transforms, strokes, gradients, images, text) is refused rather than drawn wrongly.
/// </summary>
public static class EmblemSvg
{
    public const string Invalid = "stamp_emblem_invalid";
    private const int MaxBytes = 256 * 1024, MaxSegments = 20_000;

    public static Result<StampEmblem> Parse(string svg)
    {
        if (svg.Length > MaxBytes) return new Error(Invalid, $"the emblem SVG is larger than {MaxBytes / 1024} KiB");
        try
        {
            using var reader = XmlReader.Create(new StringReader(svg), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            double[]? viewBox = null;
            var raw = new List<(StampColour Fill, List<(char Verb, double[] Points)> Path)>();
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element) continue;
                switch (reader.LocalName)
                {
                    case "svg" when viewBox is null:
                        viewBox = Numbers(reader.GetAttribute("viewBox") ?? "");
                        if (viewBox.Length != 4 || viewBox[2] <= 0 || viewBox[3] <= 0) return new Error(Invalid, "the emblem SVG needs a viewBox of four numbers with a positive width and height");
                        break;
                    case "path":
                        var path = PathData(reader.GetAttribute("d") ?? "");
                        if (!path.IsOk) return path.Error;
                        var fill = Colour(reader.GetAttribute("fill"));
                        if (!fill.IsOk) return fill.Error;
                        raw.Add((fill.Value, path.Value));
                        break;
                    case "svg" or "title" or "desc" or "metadata" or "defs":
                        break;
                    default:
                        return new Error(Invalid, $"the emblem SVG may hold only <path> elements, not <{reader.LocalName}>");
                }
            }

            if (viewBox is null || raw.Count == 0) return new Error(Invalid, "the emblem SVG needs an <svg viewBox> with at least one <path>");
            return Fit(viewBox, raw);
        }
        catch (XmlException e)
        {
            return new Error(Invalid, $"the emblem SVG is not well-formed XML: {e.Message}");
        }
    }

    /// <summary>Maps the viewBox (y down) into the unit square (y up), keeping the aspect ratio and centring it.</summary>
    private static StampEmblem Fit(double[] viewBox, List<(StampColour Fill, List<(char Verb, double[] Points)> Path)> raw)
    {
        var side = Math.Max(viewBox[2], viewBox[3]);
        var dx = (side - viewBox[2]) / 2;
        var dy = (side - viewBox[3]) / 2;
        (double, double) U(double x, double y) => ((x - viewBox[0] + dx) / side, 1 - (y - viewBox[1] + dy) / side);
        var shapes = new List<EmblemShape>();
        foreach (var (fill, path) in raw)
        {
            var segments = new List<PathSegment>(path.Count);
            foreach (var (verb, p) in path)
            {
                switch (verb)
                {
                    case 'M': { var (x, y) = U(p[0], p[1]); segments.Add(PathSegment.MoveTo(x, y)); break; }
                    case 'L': { var (x, y) = U(p[0], p[1]); segments.Add(PathSegment.LineTo(x, y)); break; }
                    case 'C':
                        {
                            var (x1, y1) = U(p[0], p[1]);
                            var (x2, y2) = U(p[2], p[3]);
                            var (x3, y3) = U(p[4], p[5]);
                            segments.Add(PathSegment.CubicTo(x1, y1, x2, y2, x3, y3));
                            break;
                        }

                    default: segments.Add(PathSegment.Close); break;
                }
            }

            shapes.Add(new EmblemShape(fill, segments));
        }

        return new StampEmblem(shapes);
    }

    /// <summary>SVG path data to absolute M, L, C and Z (H and V become L; relative commands made absolute).</summary>
    private static Result<List<(char Verb, double[] Points)>> PathData(string d)
    {
        var result = new List<(char, double[])>();
        var tokens = Tokens(d);
        double x = 0, y = 0, startX = 0, startY = 0;
        var command = '\0';
        var i = 0;
        double Next()
        {
            if (i >= tokens.Count || tokens[i].Command != '\0') throw new FormatException($"command {command} needs more numbers");
            return tokens[i++].Number;
        }

        try
        {
            while (i < tokens.Count)
            {
                if (tokens[i].Command != '\0') command = tokens[i++].Command;
                else if (command == '\0') return new Error(Invalid, "the emblem's path data must start with a command");
                var relative = char.IsLower(command);
                double ox = relative ? x : 0, oy = relative ? y : 0;
                switch (char.ToUpperInvariant(command))
                {
                    case 'M':
                        x = ox + Next();
                        y = oy + Next();
                        (startX, startY) = (x, y);
                        result.Add(('M', [x, y]));
                        command = relative ? 'l' : 'L'; // numbers after a moveto are linetos
                        break;
                    case 'L':
                        x = ox + Next();
                        y = oy + Next();
                        result.Add(('L', [x, y]));
                        break;
                    case 'H':
                        x = ox + Next();
                        result.Add(('L', [x, y]));
                        break;
                    case 'V':
                        y = oy + Next();
                        result.Add(('L', [x, y]));
                        break;
                    case 'C':
                        double x1 = ox + Next(), y1 = oy + Next(), x2 = ox + Next(), y2 = oy + Next();
                        x = ox + Next();
                        y = oy + Next();
                        result.Add(('C', [x1, y1, x2, y2, x, y]));
                        break;
                    case 'Z':
                        result.Add(('Z', []));
                        (x, y) = (startX, startY);
                        break;
                    default:
                        return new Error(Invalid, $"the emblem's path data uses '{command}': only M L H V C Z are supported");
                }

                if (result.Count > MaxSegments) return new Error(Invalid, $"the emblem has more than {MaxSegments} path segments");
            }
        }
        catch (FormatException e)
        {
            return new Error(Invalid, $"the emblem's path data is malformed: {e.Message}");
        }

        return result.Count == 0 || result[0].Item1 != 'M' ? new Error(Invalid, "the emblem's path data must start with a moveto") : result;
    }

    private static List<(char Command, double Number)> Tokens(string d)
    {
        var tokens = new List<(char, double)>();
        var at = 0;
        while (at < d.Length)
        {
            var c = d[at];
            if (char.IsWhiteSpace(c) || c == ',') { at++; continue; }
            if (char.IsLetter(c) && c is not ('e' or 'E')) { tokens.Add((c, 0)); at++; continue; }
            var start = at;
            if (d[at] is '-' or '+') at++;
            while (at < d.Length && (char.IsDigit(d[at]) || d[at] == '.' || ((d[at] is 'e' or 'E') && at > start) || ((d[at] is '-' or '+') && d[at - 1] is 'e' or 'E'))) at++;
            if (!double.TryParse(d.AsSpan(start, at - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !double.IsFinite(n))
            {
                throw new FormatException($"'{d[start..Math.Max(at, start + 1)]}' is not a number");
            }

            tokens.Add(('\0', n));
        }

        return tokens;
    }

    private static double[] Numbers(string s) =>
        [.. s.Split([' ', ',', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).Select(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : double.NaN).Where(v => !double.IsNaN(v))];

    private static Result<StampColour> Colour(string? fill)
    {
        if (fill is null) return new StampColour(0, 0, 0);
        var hex = fill.Trim();
        if (hex.StartsWith('#') && hex.Length is 4 or 7 && hex[1..].All(Uri.IsHexDigit))
        {
            int Channel(int i) => hex.Length == 4 ? Convert.ToInt32(new string(hex[1 + i], 2), 16) : Convert.ToInt32(hex.Substring(1 + 2 * i, 2), 16);
            return new StampColour(Channel(0) / 255.0, Channel(1) / 255.0, Channel(2) / 255.0);
        }

        return new Error(Invalid, $"the emblem's fill '{fill}' is not #rgb or #rrggbb");
    }
}
