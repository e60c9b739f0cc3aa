using Meterai.Pdf.Budget;
using Meterai.Pdf.Objects;

namespace Meterai.Pdf.Parsing;

/// <summary>
/// A decoded object stream (§7.5.7): the header of (object number, offset) pairs and the data the members are parsed
/// from, one at a time and only when asked for.
/// </summary>
internal sealed class ObjectStreamContent
{
    private readonly byte[] _data;
    private readonly int _first;
    private readonly (int Number, int Offset)[] _members;
    private readonly PdfLimits _limits;
    private ObjectParser? _parser;

    private ObjectStreamContent(byte[] data, int first, (int, int)[] members, PdfLimits limits)
    {
        _data = data;
        _first = first;
        _members = members;
        _limits = limits;
    }

    public int Count => _members.Length;

    public IReadOnlyList<(int Number, int Offset)> Members => _members;

    /// <summary>Parses the header; a header that does not fit the data, or names an object twice, is damage.</summary>
    public static ObjectStreamContent Parse(PdfDictionary dict, byte[] data, PdfLimits limits)
    {
        if (dict["N"] is not PdfInteger { Value: >= 0 } n || n.Value > limits.MaxObjectsPerStream) throw new PdfDamageException("object stream /N is invalid");
        if (dict["First"] is not PdfInteger { Value: >= 0 } first || first.Value > data.Length) throw new PdfDamageException("object stream /First is invalid");
        var lexer = new Lexer(new MemoryByteSource(data.AsMemory(0, (int)first.Value)), limits.MaxObjectBytes);
        var members = new (int, int)[n.Value];
        var seen = new HashSet<int>();
        for (var i = 0; i < members.Length; i++)
        {
            WorkBudget.Tick();
            if (lexer.Next() != TokenKind.Integer) throw new PdfDamageException("object stream header is cut short");
            var number = lexer.IntValue;
            if (lexer.Next() != TokenKind.Integer) throw new PdfDamageException("object stream header is cut short");
            var offset = lexer.IntValue;
            if (number <= 0 || number > limits.MaxObjectNumber || offset < 0 || first.Value + offset > data.Length)
            {
                throw new PdfDamageException("object stream header names an impossible object or offset");
            }

            if (!seen.Add((int)number)) throw new PdfDamageException($"object {number} is defined twice in one object stream");
            members[i] = ((int)number, (int)offset);
        }

        return new ObjectStreamContent(data, (int)first.Value, members, limits);
    }

    /// <summary>The member at <paramref name="index"/>, which must be object <paramref name="number"/>.</summary>
    public PdfObject Get(int index, int number)
    {
        if (index < 0 || index >= _members.Length || _members[index].Number != number)
        {
            throw new PdfDamageException($"object {number} is not at index {index} of its object stream");
        }

        return ParseAt(index);
    }

    /// <summary>Parses member <paramref name="index"/> whatever its number (recovery walks every member).</summary>
    public PdfObject ParseAt(int index)
    {
        _parser ??= new ObjectParser(new Lexer(new MemoryByteSource(_data), _limits.MaxObjectBytes), _limits);
        _parser.Seek(_first + _members[index].Offset);
        return _parser.ParseObject();
    }
}
