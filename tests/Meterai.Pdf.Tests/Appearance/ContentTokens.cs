using System.Text;

namespace Meterai.Pdf.Tests.Appearance;

/// <summary>Test-only tokenizer for the stamp's content streams: numbers, names, operators, literal strings, arrays.</summary>
internal static class ContentTokens
{
    public static List<string> Tokenize(byte[] content)
    {
        var text = Encoding.Latin1.GetString(content);
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(')
            {
                var s = new StringBuilder("(");
                var depth = 1;
                for (i++; depth > 0; i++)
                {
                    if (text[i] == '\\') s.Append(text[++i]);
                    else
                    {
                        if (text[i] == '(') depth++;
                        if (text[i] == ')') depth--;
                        if (depth > 0) s.Append(text[i]);
                    }
                }

                tokens.Add(s.Append(')').ToString());
            }
            else if (c is '[' or ']')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or '[' or ']')) i++;
                tokens.Add(text[start..i]);
            }
        }

        return tokens;
    }

    /// <summary>The strings shown with Tj, in order, without their parentheses (escapes resolved).</summary>
    public static List<string> ShownStrings(byte[] content)
    {
        var tokens = Tokenize(content);
        var shown = new List<string>();
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i] == "Tj") shown.Add(tokens[i - 1][1..^1]);
        }

        return shown;
    }
}
