using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using ConvParity.Tensors;

namespace ConvParity.Fixtures;

/// <summary>
/// The numpy .npy format (versions 1 to 3), read without trusting it: the header is parsed and checked
/// (dtype, shape, overflow-safe sizes) before any array is allocated, and data shorter than declared is
/// refused (bytes after it are ignored, as numpy.load ignores them). Little- and big-endian, C and Fortran
/// order; real dtypes only, never pickles.
/// </summary>
internal static class NpyFormat
{
    /// <summary>The longest header read (numpy itself refuses headers above 10000 bytes by default).</summary>
    public const int MaxHeaderBytes = 1 << 16;

    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads and validates the header; the stream is left at the first data byte.</summary>
    /// <exception cref="FixtureException">Not an .npy header, or one declaring something not read here.</exception>
    public static NpyHeader ReadHeader(Stream stream, string what)
    {
        Span<byte> prefix = stackalloc byte[10];
        if (ReadFully(stream, prefix[..8]) < 8 || !prefix[..6].SequenceEqual(Magic))
            throw new FixtureException(what, "not an .npy array (the magic string \\x93NUMPY is missing)");
        int major = prefix[6];
        if (major is < 1 or > 3)
            throw new FixtureException(what, $".npy format version {major}.{prefix[7]} is not read here (1 to 3 are)");
        int lengthBytes = major == 1 ? 2 : 4;
        if (ReadFully(stream, prefix[..lengthBytes]) < lengthBytes)
            throw new FixtureException(what, "truncated .npy header");
        long length =
            major == 1
                ? BinaryPrimitives.ReadUInt16LittleEndian(prefix)
                : BinaryPrimitives.ReadUInt32LittleEndian(prefix);
        if (length > MaxHeaderBytes)
            throw new FixtureException(what, $".npy header of {length} bytes; at most {MaxHeaderBytes} are read");
        var text = new byte[length];
        if (ReadFully(stream, text) < length)
            throw new FixtureException(what, "truncated .npy header");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(text);
        return Parse(new HeaderParser(header, what).Dictionary(), what);
    }

    /// <summary>Reads the data the header declares, as float32 in C order.</summary>
    /// <exception cref="FixtureException">The data is shorter than declared, or the stream fails.</exception>
    public static FixtureArray ReadData(Stream stream, NpyHeader header, string what)
    {
        var data = new float[header.Elements];
        bool rounded = false;
        var buffer = new byte[1 << 16];
        long done = 0;
        int size = header.ItemSize;
        while (done < header.Elements)
        {
            int count = (int)Math.Min(buffer.Length / size, header.Elements - done);
            int got = ReadFully(stream, buffer.AsSpan(0, count * size));
            if (got < count * size)
                throw new FixtureException(what, Truncated(header, done * size + got));
            var target = data.AsSpan((int)done, count);
            if (header is { Kind: 'f', ItemSize: 4, BigEndian: false })
                MemoryMarshal.Cast<byte, float>(buffer.AsSpan(0, count * size)).CopyTo(target);
            else
                rounded |= Convert(buffer.AsSpan(0, count * size), header, target);
            done += count;
        }
        // Stryker disable once Equality : rearranging a 0-d or 1-d array into C order leaves it as it is
        if (header.FortranOrder && header.Shape.Length > 1)
            data = ToCOrder(data, header.Shape);
        return new FixtureArray(new Tensor(data, header.Shape), header.DType, rounded);
    }

    /// <summary>Why an array whose data is shorter than its header declares is refused.</summary>
    public static string Truncated(NpyHeader header, long held) =>
        $"truncated: the header declares {header.DataBytes} bytes of data (shape {Shape(header.Shape)}, "
        + $"{header.DType}), the file holds {held}";

    /// <summary>A shape as Python prints a tuple.</summary>
    public static string Shape(IReadOnlyList<long> shape) =>
        shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";

    /// <summary>A shape as Python prints a tuple.</summary>
    public static string Shape(int[] shape) => Shape([.. shape.Select(d => (long)d)]);

    /// <summary>Reads until <paramref name="target"/> is full or the stream ends; the count read.</summary>
    public static int ReadFully(Stream stream, Span<byte> target)
    {
        int total = 0;
        // Stryker disable once Equality : at total == Length one more read of zero bytes returns 0 and ends the loop
        while (total < target.Length)
        {
            int n = stream.Read(target[total..]);
            if (n == 0)
                break;
            total += n;
        }
        return total;
    }

    private static NpyHeader Parse(Dictionary<string, object> fields, string what)
    {
        string[] keys = ["descr", "fortran_order", "shape"];
        if (fields.Count != 3 || !keys.All(fields.ContainsKey))
            throw new FixtureException(
                what,
                $".npy header has keys {string.Join(", ", fields.Keys.Select(k => $"'{k}'"))}; "
                    + "exactly 'descr', 'fortran_order' and 'shape' are expected"
            );
        if (fields["descr"] is not string descr)
            throw new FixtureException(
                what,
                "structured dtypes (a 'descr' that is not a string) are not real number arrays"
            );
        if (fields["fortran_order"] is not bool fortran)
            throw new FixtureException(what, "'fortran_order' is not True or False");
        if (fields["shape"] is not List<long> dims)
            throw new FixtureException(what, "'shape' is not a tuple of integers");

        var (name, kind, itemSize, bigEndian) = DType(descr, what);
        long elements = 1;
        foreach (long d in dims)
        {
            if (d > int.MaxValue)
                throw new FixtureException(
                    what,
                    $"shape {Shape(dims)} has dimension {d}, more than a tensor holds on one axis ({int.MaxValue})"
                );
            if (elements != 0 && d > long.MaxValue / CaseLimits.BytesPerElement / elements)
                throw new FixtureException(what, $"shape {Shape(dims)} declares too many elements to count in 64 bits");
            elements *= d;
        }
        if (elements > Array.MaxLength)
            throw new FixtureException(
                what,
                $"shape {Shape(dims)} declares {elements} elements, more than one array holds ({Array.MaxLength})"
            );
        return new NpyHeader(name, kind, itemSize, bigEndian, fortran, [.. dims.Select(d => (int)d)], elements);
    }

    /// <summary>The dtypes read: float16/32/64 and the 1- to 8-byte signed and unsigned integers, either byte
    /// order.</summary>
    private static (string Name, char Kind, int Size, bool BigEndian) DType(string descr, string what)
    {
        string body = descr.Length > 0 && "<>|=".Contains(descr[0]) ? descr[1..] : descr;
        bool big = descr.StartsWith('>') || (descr.StartsWith('=') && !BitConverter.IsLittleEndian);
        char kind = body.Length > 0 ? body[0] : '?';
        int.TryParse(body.AsSpan(Math.Min(1, body.Length)), out int size);
        string? name = (kind, size) switch
        {
            ('f', 2 or 4 or 8) => $"float{size * 8}",
            ('i', 1 or 2 or 4 or 8) => $"int{size * 8}",
            ('u', 1 or 2 or 4 or 8) => $"uint{size * 8}",
            _ => null,
        };
        if (name is not null)
            // Stryker disable once Equality : Convert ignores BigEndian for 1-byte kinds (one byte either way)
            return (name, kind, size, big && size > 1);
        string why = kind switch
        {
            'O' => "object arrays (pickles) are never read",
            'b' => "bool is not a real number type",
            'c' => "complex is not a real number type",
            _ => "not a real number type read here (float16/32/64, int8-64, uint8-64 are)",
        };
        throw new FixtureException(what, $"dtype '{descr}': {why}");
    }

    /// <summary>Converts elements of any dtype read here to float32; whether some value changed.</summary>
    private static bool Convert(ReadOnlySpan<byte> bytes, NpyHeader h, Span<float> target)
    {
        bool rounded = false;
        for (int i = 0; i < target.Length; i++)
        {
            var b = bytes.Slice(i * h.ItemSize, h.ItemSize);
            double v = (h.Kind, h.ItemSize, h.BigEndian) switch
            {
                ('f', 2, false) => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
                ('f', 2, true) => (double)BinaryPrimitives.ReadHalfBigEndian(b),
                ('f', 4, true) => BinaryPrimitives.ReadSingleBigEndian(b),
                ('f', 8, false) => BinaryPrimitives.ReadDoubleLittleEndian(b),
                ('f', 8, true) => BinaryPrimitives.ReadDoubleBigEndian(b),
                ('i', 1, _) => (sbyte)b[0],
                ('u', 1, _) => b[0],
                ('i', 2, false) => BinaryPrimitives.ReadInt16LittleEndian(b),
                ('i', 2, true) => BinaryPrimitives.ReadInt16BigEndian(b),
                ('u', 2, false) => BinaryPrimitives.ReadUInt16LittleEndian(b),
                ('u', 2, true) => BinaryPrimitives.ReadUInt16BigEndian(b),
                ('i', 4, false) => BinaryPrimitives.ReadInt32LittleEndian(b),
                ('i', 4, true) => BinaryPrimitives.ReadInt32BigEndian(b),
                ('u', 4, false) => BinaryPrimitives.ReadUInt32LittleEndian(b),
                ('u', 4, true) => BinaryPrimitives.ReadUInt32BigEndian(b),
                ('i', 8, false) => BinaryPrimitives.ReadInt64LittleEndian(b),
                ('i', 8, true) => BinaryPrimitives.ReadInt64BigEndian(b),
                ('u', 8, false) => BinaryPrimitives.ReadUInt64LittleEndian(b),
                _ => BinaryPrimitives.ReadUInt64BigEndian(b),
            };
            target[i] = (float)v;
            rounded |= target[i] != v && !double.IsNaN(v);
        }
        return rounded;
    }

    /// <summary>The elements of a Fortran-order array rearranged into C order.</summary>
    private static float[] ToCOrder(float[] fortran, int[] shape)
    {
        var c = new float[fortran.Length];
        if (c.Length == 0)
            return c;
        int rank = shape.Length;
        var strides = new long[rank]; // Fortran strides: the first axis varies fastest
        for (int a = 0, s = 1; a < rank; s *= shape[a], a++)
            strides[a] = s;
        var index = new int[rank];
        long offset = 0;
        for (int i = 0; i < c.Length; i++)
        {
            c[i] = fortran[offset];
            for (int a = rank - 1; a >= 0; a--) // the C odometer: the last axis varies fastest
            {
                if (++index[a] < shape[a])
                {
                    offset += strides[a];
                    break;
                }
                offset -= strides[a] * (shape[a] - 1);
                index[a] = 0;
            }
        }
        return c;
    }

    /// <summary>
    /// The header's Python dict literal: string keys; values that are strings, True/False, or tuples of
    /// non-negative integers. Anything else (a list, a nested expression) is refused by position.
    /// </summary>
    private ref struct HeaderParser(string text, string what)
    {
        private int _at;

        public Dictionary<string, object> Dictionary()
        {
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            Expect('{');
            while (Peek() != '}')
            {
                string key = String();
                Expect(':');
                if (!result.TryAdd(key, Value()))
                    throw Bad($"the key '{key}' is given twice");
                if (Peek() == ',')
                    _at++;
                else if (Peek() != '}')
                    throw Bad("',' or '}' expected");
            }
            _at++;
            if (text[_at..].Any(ch => !char.IsWhiteSpace(ch)))
                throw Bad("text after the closing '}'");
            return result;
        }

        private object Value()
        {
            char next = Peek();
            if (next is '\'' or '"')
                return String();
            if (next == '(')
                return Tuple();
            if (next == '[')
                throw new FixtureException(what, "structured dtypes (a list as 'descr') are not real number arrays");
            foreach (var (word, value) in new[] { ("True", true), ("False", false) })
                if (string.CompareOrdinal(text, _at, word, 0, word.Length) == 0)
                {
                    _at += word.Length;
                    return value;
                }
            throw Bad("a string, True, False or a tuple was expected");
        }

        private List<long> Tuple()
        {
            Expect('(');
            var items = new List<long>();
            while (Peek() != ')')
            {
                int start = _at;
                while (_at < text.Length && char.IsAsciiDigit(text[_at]))
                    _at++;
                if (_at == start)
                    throw Bad("a shape holds non-negative integers only");
                if (!long.TryParse(text.AsSpan(start, _at - start), out long d))
                    throw new FixtureException(what, $"shape dimension {text[start.._at]} is too large to be a size");
                items.Add(d);
                if (Peek() == ',')
                    _at++;
                else if (Peek() != ')')
                    throw Bad("',' or ')' expected in the shape");
            }
            _at++;
            return items;
        }

        private string String()
        {
            char quote = Peek();
            if (quote is not ('\'' or '"'))
                throw Bad("a quoted string was expected");
            int end = text.IndexOf(quote, ++_at);
            // Stryker disable once Equality : IndexOf from ++_at (at least 1) is -1 or at least 1, never 0
            if (end < 0)
                throw Bad("unterminated string");
            string value = text[_at..end];
            _at = end + 1;
            return value;
        }

        private void Expect(char ch)
        {
            if (Peek() != ch)
                throw Bad($"'{ch}' expected");
            _at++;
        }

        private char Peek()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at]))
                _at++;
            return _at < text.Length ? text[_at] : '\0';
        }

        private readonly FixtureException Bad(string why) =>
            new(what, $"malformed .npy header at character {_at}: {why}");
    }
}
