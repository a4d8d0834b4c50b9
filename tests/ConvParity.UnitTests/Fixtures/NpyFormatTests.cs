using System.Buffers.Binary;
using System.Text;
using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>
/// The .npy reader (NpyFormat, through NpyFile): every dtype and byte order numpy writes, both orders, the three
/// format versions, and every refusal naming the file and what is wrong with it, before anything is allocated.
/// The files are built here byte by byte (<see cref="NpyBytes"/>).
/// </summary>
public sealed class NpyFormatTests
{
    private string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("convparity-npy-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private string Save(byte[] bytes, string name = "a.npy")
    {
        string path = Path.Combine(_scratch, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private FixtureArray Read(byte[] bytes, long maxBytes = CaseLimits.DefaultMaxCaseBytes) =>
        NpyFile.Read(Save(bytes), maxBytes);

    /// <summary>The message of the refusal of <paramref name="bytes"/>, which must name the file.</summary>
    private string Refusal(byte[] bytes, long maxBytes = CaseLimits.DefaultMaxCaseBytes)
    {
        string path = Save(bytes);
        var e = Assert.Throws<FixtureException>(() => NpyFile.Read(path, maxBytes))!;
        Assert.That(e.Message, Does.StartWith(path + ": "));
        return e.Message[(path.Length + 2)..];
    }

    private static byte[] Header(string dict, int major = 1) => NpyBytes.Header(dict, major);

    private static byte[] Raw(string text, int major = 1) => NpyBytes.RawHeader(text, major, Encoding.Latin1);

    private static float[] Values(FixtureArray array) => array.Tensor.Span.ToArray();

    // Dtypes and byte orders.

    private static byte[] Encode(string descr, double[] values)
    {
        bool big = descr[0] == '>';
        char kind = descr[1];
        int size = int.Parse(descr[2..], System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new byte[size * values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            var b = bytes.AsSpan(i * size, size);
            double v = values[i];
            switch (kind, size)
            {
                case ('f', 2):
                    if (big)
                        BinaryPrimitives.WriteHalfBigEndian(b, (Half)v);
                    else
                        BinaryPrimitives.WriteHalfLittleEndian(b, (Half)v);
                    break;
                case ('f', 4):
                    if (big)
                        BinaryPrimitives.WriteSingleBigEndian(b, (float)v);
                    else
                        BinaryPrimitives.WriteSingleLittleEndian(b, (float)v);
                    break;
                case ('f', 8):
                    if (big)
                        BinaryPrimitives.WriteDoubleBigEndian(b, v);
                    else
                        BinaryPrimitives.WriteDoubleLittleEndian(b, v);
                    break;
                case ('i', 1):
                    b[0] = (byte)(sbyte)v;
                    break;
                case ('u', 1):
                    b[0] = (byte)v;
                    break;
                case ('i', _):
                    var signed = BitConverter.GetBytes((long)v).AsSpan(0, size);
                    signed.CopyTo(b);
                    if (big)
                        b.Reverse();
                    break;
                default:
                    var unsigned = BitConverter.GetBytes((ulong)v).AsSpan(0, size);
                    unsigned.CopyTo(b);
                    if (big)
                        b.Reverse();
                    break;
            }
        }
        return bytes;
    }

    [TestCase("<f2", "float16", new[] { -2.5, 0.75, 1024 })]
    [TestCase(">f2", "float16", new[] { -2.5, 0.75, 1024 })]
    [TestCase("<f4", "float32", new[] { -2.5, 0.1f, 3e38 })]
    [TestCase(">f4", "float32", new[] { -2.5, 0.1f, 3e38 })]
    [TestCase("<f8", "float64", new[] { -2.5, 0.75, 1099511627776.0 })]
    [TestCase(">f8", "float64", new[] { -2.5, 0.75, 1099511627776.0 })]
    [TestCase("|i1", "int8", new[] { -128.0, -1, 127 })]
    [TestCase("|u1", "uint8", new[] { 0.0, 200, 255 })]
    [TestCase("<i2", "int16", new[] { -32768.0, -2, 258 })]
    [TestCase(">i2", "int16", new[] { -32768.0, -2, 258 })]
    [TestCase("<u2", "uint16", new[] { 65535.0, 2, 258 })]
    [TestCase(">u2", "uint16", new[] { 65535.0, 2, 258 })]
    [TestCase("<i4", "int32", new[] { -16777216.0, -2, 66051 })]
    [TestCase(">i4", "int32", new[] { -16777216.0, -2, 66051 })]
    [TestCase("<u4", "uint32", new[] { 16777216.0, 2, 66051 })]
    [TestCase(">u4", "uint32", new[] { 16777216.0, 2, 66051 })]
    [TestCase("<i8", "int64", new[] { -16777216.0, -2, 66051 })]
    [TestCase(">i8", "int64", new[] { -16777216.0, -2, 66051 })]
    [TestCase("<u8", "uint64", new[] { 16777216.0, 2, 66051 })]
    [TestCase(">u8", "uint64", new[] { 16777216.0, 2, 66051 })]
    public void Every_real_dtype_is_read_by_value_in_either_byte_order(string descr, string name, double[] values)
    {
        var array = Read(NpyBytes.Array(descr, false, "(3,)", Encode(descr, values)));
        Assert.That(array.DType, Is.EqualTo(name));
        Assert.That(Values(array), Is.EqualTo(values.Select(v => (float)v).ToArray()));
        Assert.That(array.Rounded, Is.False, "each value is a float32");
        Assert.That(array.Tensor.ShapeArray(), Is.EqualTo(new[] { 3 }));
    }

    [TestCase("f4", "float32")]
    [TestCase("=f8", "float64")]
    [TestCase("=i2", "int16")]
    [TestCase("|f4", "float32")]
    public void A_dtype_without_or_with_a_native_byte_order_is_little_endian_here(string descr, string name)
    {
        var data = Encode("<" + descr.TrimStart('=', '|'), [2, -3]);
        var array = Read(NpyBytes.Array(descr, false, "(2,)", data));
        Assert.That(array.DType, Is.EqualTo(name));
        Assert.That(Values(array), Is.EqualTo(new[] { 2f, -3f }));
    }

    [TestCase("<f8", new[] { 0.5, 0.1 }, true)]
    [TestCase("<f8", new[] { 0.1, 0.5 }, true)]
    [TestCase("<f8", new[] { 0.5, -0.25 }, false)]
    [TestCase("<f8", new[] { double.NaN, double.PositiveInfinity }, false)]
    [TestCase("<i8", new[] { 16777217.0, 1 }, true)]
    [TestCase("<i4", new[] { 16777216.0, 1 }, false)]
    public void Rounding_to_float32_is_reported_when_some_value_changed(string descr, double[] values, bool rounded)
    {
        var array = Read(NpyBytes.Array(descr, false, "(2,)", Encode(descr, values)));
        Assert.That(array.Rounded, Is.EqualTo(rounded));
        Assert.That(Values(array), Is.EqualTo(values.Select(v => (float)v).ToArray()));
    }

    [Test]
    public void An_array_larger_than_the_read_buffer_is_read_whole()
    {
        // 40000 float64 values: 320000 bytes, several 64 KiB chunks; 20000 float32: 80000 bytes.
        var wide = Enumerable.Range(0, 40000).Select(i => (double)(i - 20000)).ToArray();
        var array = Read(NpyBytes.Array("<f8", false, "(200, 200)", Encode("<f8", wide)));
        Assert.That(Values(array), Is.EqualTo(wide.Select(v => (float)v).ToArray()));
        var narrow = Enumerable.Range(0, 20000).Select(i => i * 0.5f).ToArray();
        Assert.That(Values(Read(NpyBytes.Floats("(20000,)", narrow))), Is.EqualTo(narrow));
    }

    // Orders.

    [Test]
    public void A_fortran_order_array_is_transposed_into_c_order()
    {
        // The array a[i, j, k] = 100 i + 10 j + k of shape (2, 3, 4), stored with the first axis varying fastest.
        var fortran = new List<float>();
        for (int k = 0; k < 4; k++)
        for (int j = 0; j < 3; j++)
        for (int i = 0; i < 2; i++)
            fortran.Add(100 * i + 10 * j + k);
        var c = new List<float>();
        for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
        for (int k = 0; k < 4; k++)
            c.Add(100 * i + 10 * j + k);
        var data = NpyBytes.Data([.. fortran]);
        var array = Read(NpyBytes.Array("<f4", true, "(2, 3, 4)", data));
        Assert.That(array.Tensor.ShapeArray(), Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(Values(array), Is.EqualTo(c.ToArray()));
        var same = Read(NpyBytes.Array("<f4", false, "(2, 3, 4)", NpyBytes.Data([.. c])));
        Assert.That(Values(same), Is.EqualTo(c.ToArray()), "a C-order array is kept as stored");
    }

    [TestCase("(3,)", 3, new[] { 3 })]
    [TestCase("()", 1, new int[0])]
    [TestCase("(0, 3)", 0, new[] { 0, 3 })]
    [TestCase("(3, 0)", 0, new[] { 3, 0 })]
    public void A_fortran_order_array_of_one_or_no_axis_or_no_element_reads_as_stored(
        string shape,
        int elements,
        int[] dims
    )
    {
        float[] values = [.. Enumerable.Range(1, elements).Select(i => (float)i)];
        var array = Read(NpyBytes.Array("<f4", true, shape, NpyBytes.Data(values)));
        Assert.That(array.Tensor.ShapeArray(), Is.EqualTo(dims));
        Assert.That(Values(array), Is.EqualTo(values));
    }

    // Versions and header lengths.

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Versions_1_to_3_are_read(int major)
    {
        var bytes = NpyBytes.Array("<f4", false, "(2,)", NpyBytes.Data(1.5f, -2), major);
        Assert.That(Values(Read(bytes)), Is.EqualTo(new[] { 1.5f, -2f }));
    }

    [TestCase(0, 9, ".npy format version 0.9 is not read here (1 to 3 are)")]
    [TestCase(4, 0, ".npy format version 4.0 is not read here (1 to 3 are)")]
    public void Other_versions_are_refused_by_number(int major, int minor, string message)
    {
        var bytes = NpyBytes.Array("<f4", false, "(2,)", new byte[8]);
        bytes[6] = (byte)major;
        bytes[7] = (byte)minor;
        Assert.That(Refusal(bytes), Is.EqualTo(message));
    }

    [Test]
    public void A_version_3_header_is_utf8_and_versions_1_and_2_are_latin1()
    {
        const string dict = "{'descr': '<\u00e9', 'fortran_order': False, 'shape': (1,), }";
        Assert.That(Refusal([.. Header(dict, 3), 0, 0, 0, 0]), Does.StartWith("dtype '<\u00e9':"));
        Assert.That(Refusal([.. Header(dict, 2), 0, 0, 0, 0]), Does.StartWith("dtype '<\u00e9':"));
        var latin1AsUtf8 = NpyBytes.RawHeader(dict.PadRight(118) + "\n", 1, Encoding.UTF8);
        Assert.That(Refusal([.. latin1AsUtf8, 0, 0, 0, 0]), Does.StartWith("dtype '<\u00c3\u00a9':"));
    }

    [Test]
    public void A_header_of_at_most_64_KiB_is_read_and_a_longer_one_refused()
    {
        string dict = NpyBytes.Dict("<f4", false, "(1,)");
        byte[] longest = Raw(dict.PadRight(NpyFormatMaxHeader - 1) + "\n", 2);
        Assert.That(Values(Read([.. longest, 0, 0, 0x80, 0x3f])), Is.EqualTo(new[] { 1f }));
        byte[] longer = Raw(dict.PadRight(NpyFormatMaxHeader) + "\n", 2);
        Assert.That(
            Refusal([.. longer, 0, 0, 0x80, 0x3f]),
            Is.EqualTo(".npy header of 65537 bytes; at most 65536 are read")
        );
    }

    private const int NpyFormatMaxHeader = 1 << 16;

    [Test]
    public void A_file_without_the_magic_string_is_not_an_npy_array()
    {
        var bytes = NpyBytes.Floats("(2,)", 1, 2);
        bytes[1] = (byte)'n';
        Assert.That(Refusal(bytes), Is.EqualTo("not an .npy array (the magic string \\x93NUMPY is missing)"));
        Assert.That(Refusal("0123456789"u8.ToArray()), Does.StartWith("not an .npy array"));
    }

    [TestCase(9, "9 bytes: too short for a .npy file (or not a regular file: a pipe, a device)")]
    [TestCase(0, "0 bytes: too short for a .npy file (or not a regular file: a pipe, a device)")]
    public void A_file_shorter_than_any_npy_is_refused_by_length(int length, string message) =>
        Assert.That(Refusal(NpyBytes.Floats("(2,)", 1, 2)[..length]), Is.EqualTo(message));

    [TestCase(10, "truncated .npy header")]
    [TestCase(11, "truncated .npy header")]
    [TestCase(127, "truncated .npy header")]
    public void A_file_ending_in_its_header_is_truncated(int length, string message) =>
        Assert.That(Refusal(NpyBytes.Floats("(2,)", 1, 2, 3)[..length]), Is.EqualTo(message));

    [Test]
    public void A_version_2_file_ending_in_its_header_length_is_truncated()
    {
        var bytes = NpyBytes.Array("<f4", false, "(1,)", new byte[4], major: 2);
        Assert.That(Refusal(bytes[..11]), Is.EqualTo("truncated .npy header"));
    }

    // Data lengths.

    [Test]
    public void Data_exactly_as_long_as_declared_is_read_and_shorter_data_is_refused_by_length()
    {
        var bytes = NpyBytes.Floats("(2, 3)", 1, 2, 3, 4, 5, 6);
        Assert.That(Values(Read(bytes)), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(
            Refusal(bytes[..^1]),
            Is.EqualTo("truncated: the header declares 24 bytes of data (shape (2, 3), float32), the file holds 23")
        );
        Assert.That(
            Refusal(NpyBytes.Array("<i2", false, "(5,)", new byte[3])),
            Is.EqualTo("truncated: the header declares 10 bytes of data (shape (5,), int16), the file holds 3")
        );
    }

    [Test]
    public void Data_shorter_than_declared_is_refused_before_the_array_is_allocated()
    {
        // 20 million float32 declared (80 MB), an estimated 960 MB: under the default cap; no data at all.
        string path = Save(Header(NpyBytes.Dict("<f4", false, "(20000000,)")));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(() => NpyFile.Read(path), Throws.TypeOf<FixtureException>().With.Message.Contain("holds 0"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(16 << 20));
    }

    [Test]
    public void Rounding_in_two_chunks_of_the_read_buffer_is_still_reported()
    {
        // 16384 float64: two 64 KiB chunks, each holding a value float32 cannot hold.
        var values = new double[16384];
        values[0] = values[^1] = 0.1;
        Assert.That(Read(NpyBytes.Array("<f8", false, "(16384,)", Encode("<f8", values))).Rounded, Is.True);
    }

    [Test]
    public void Bytes_after_the_data_are_ignored_as_numpy_ignores_them()
    {
        var bytes = NpyBytes.Floats("(2,)", 1, 2);
        Assert.That(Values(Read([.. bytes, 1, 2, 3, 4, 5])), Is.EqualTo(new float[] { 1, 2 }));
    }

    // The cap.

    [Test]
    public void An_array_costing_exactly_the_cap_is_read_and_one_costing_more_is_refused_by_shape()
    {
        var bytes = NpyBytes.Floats("(4,)", 1, 2, 3, 4); // 4 elements, 48 bytes each while checked
        Assert.That(Values(Read(bytes, maxBytes: 192)), Is.EqualTo(new float[] { 1, 2, 3, 4 }));
        Assert.That(
            Refusal(bytes, maxBytes: 191),
            Is.EqualTo(
                "shape (4,) of float32: explaining it takes an estimated 192 bytes, above the per-case cap of 191 bytes"
            )
        );
    }

    // Shapes.

    [TestCase("(2147483647, 0)", new[] { 2147483647, 0 })]
    [TestCase("(0, 2147483647, 2147483647, 2147483647)", new[] { 0, 2147483647, 2147483647, 2147483647 })]
    [TestCase("(0,)", new[] { 0 })]
    public void A_shape_with_no_element_is_read_whatever_its_other_axes(string shape, int[] dims)
    {
        var array = Read(Header(NpyBytes.Dict("<f4", false, shape)));
        Assert.That(array.Tensor.ShapeArray(), Is.EqualTo(dims));
        Assert.That(array.Tensor.Span.Length, Is.Zero);
    }

    [TestCase(
        "(2147483648, 0)",
        "shape (2147483648, 0) has dimension 2147483648, more than a tensor holds on one axis (2147483647)"
    )]
    [TestCase("(2147483647, 89478486)", "shape (2147483647, 89478486) declares too many elements to count in 64 bits")]
    [TestCase(
        "(2147483647, 89478485)",
        "shape (2147483647, 89478485) declares 192153583295834795 elements, more than one array holds (2147483591)"
    )]
    [TestCase(
        "(2147483592,)",
        "shape (2147483592,) declares 2147483592 elements, more than one array holds (2147483591)"
    )]
    [TestCase(
        "(2147483591,)",
        "shape (2147483591,) of float32: explaining it takes an estimated 103079212368 bytes, "
            + "above the per-case cap of 1073741824 bytes (1 GiB)"
    )]
    [TestCase("(99999999999999999999,)", "shape dimension 99999999999999999999 is too large to be a size")]
    public void A_shape_too_large_is_refused_by_its_numbers_before_any_allocation(string shape, string message) =>
        Assert.That(Refusal(Header(NpyBytes.Dict("<f4", false, shape))), Is.EqualTo(message));

    // Header fields.

    [TestCase("'descr': '<f4', 'fortran_order': False", "'descr', 'fortran_order'")]
    [TestCase("'descr': '<f4', 'fortran_order': False, 'shapes': (1,)", "'descr', 'fortran_order', 'shapes'")]
    [TestCase(
        "'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 'y'",
        "'descr', 'fortran_order', 'shape', 'x'"
    )]
    [TestCase("", "")]
    public void A_header_without_exactly_its_three_keys_is_refused_naming_them(string fields, string keys) =>
        Assert.That(
            Refusal(Header("{" + fields + "}")),
            Is.EqualTo($".npy header has keys {keys}; exactly 'descr', 'fortran_order' and 'shape' are expected")
        );

    [TestCase(
        "{'descr': True, 'fortran_order': False, 'shape': (1,)}",
        "structured dtypes (a 'descr' that is not a string) are not real number arrays"
    )]
    [TestCase(
        "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}",
        "structured dtypes (a list as 'descr') are not real number arrays"
    )]
    [TestCase("{'descr': '<f4', 'fortran_order': 'no', 'shape': (1,)}", "'fortran_order' is not True or False")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': '1'}", "'shape' is not a tuple of integers")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': True}", "'shape' is not a tuple of integers")]
    public void A_field_of_the_wrong_kind_is_refused_by_name(string dict, string message) =>
        Assert.That(Refusal(Header(dict)), Is.EqualTo(message));

    [TestCase("|O", "object arrays (pickles) are never read")]
    [TestCase("|b1", "bool is not a real number type")]
    [TestCase("<c8", "complex is not a real number type")]
    [TestCase("<U3", "not a real number type read here (float16/32/64, int8-64, uint8-64 are)")]
    [TestCase("<f3", "not a real number type read here (float16/32/64, int8-64, uint8-64 are)")]
    [TestCase("<i16", "not a real number type read here (float16/32/64, int8-64, uint8-64 are)")]
    [TestCase("<u3", "not a real number type read here (float16/32/64, int8-64, uint8-64 are)")]
    [TestCase("<f", "not a real number type read here (float16/32/64, int8-64, uint8-64 are)")]
    [TestCase("<", "not a real number type read here (float16/32/64, int8-64, uint8-64 are)")]
    [TestCase("", "not a real number type read here (float16/32/64, int8-64, uint8-64 are)")]
    [TestCase("f", "not a real number type read here (float16/32/64, int8-64, uint8-64 are)")]
    public void A_dtype_that_is_no_real_number_is_refused_naming_it(string descr, string why) =>
        Assert.That(Refusal(Header(NpyBytes.Dict(descr, false, "(1,)"))), Is.EqualTo($"dtype '{descr}': {why}"));

    // The header's syntax: each mistake named with its position.

    [TestCase("x", "malformed .npy header at character 0: '{' expected")]
    [TestCase("  x", "malformed .npy header at character 2: '{' expected")]
    [TestCase("{'descr' '<f4'}", "malformed .npy header at character 9: ':' expected")]
    [TestCase("{'descr': '<f4' 'shape': ()}", "malformed .npy header at character 16: ',' or '}' expected")]
    [TestCase(
        "{'descr': '<f4', 'descr': '<f8'}",
        "malformed .npy header at character 31: the key 'descr' is given twice"
    )]
    [TestCase("{'descr': '<f4'} x", "malformed .npy header at character 16: text after the closing '}'")]
    [TestCase("{'descr': '<f4'}}", "malformed .npy header at character 16: text after the closing '}'")]
    [TestCase("{'descr': '<f4", "malformed .npy header at character 11: unterminated string")]
    [TestCase("{'descr': '<f4', ", "malformed .npy header at character 17: a quoted string was expected")]
    [TestCase("{descr: '<f4'}", "malformed .npy header at character 1: a quoted string was expected")]
    [TestCase("{'shape': (1 2)}", "malformed .npy header at character 13: ',' or ')' expected in the shape")]
    [TestCase("{'shape': (1", "malformed .npy header at character 12: ',' or ')' expected in the shape")]
    [TestCase("{'shape': (1,,)}", "malformed .npy header at character 13: a shape holds non-negative integers only")]
    [TestCase("{'shape': (-1,)}", "malformed .npy header at character 11: a shape holds non-negative integers only")]
    [TestCase("{'shape': (", "malformed .npy header at character 11: a shape holds non-negative integers only")]
    [TestCase(
        "{'fortran_order': 0}",
        "malformed .npy header at character 18: a string, True, False or a tuple was expected"
    )]
    [TestCase(
        "{'fortran_order': Tru}",
        "malformed .npy header at character 18: a string, True, False or a tuple was expected"
    )]
    [TestCase("{'fortran_order': Truex}", "malformed .npy header at character 22: ',' or '}' expected")]
    [TestCase(
        "{'fortran_order': Fals",
        "malformed .npy header at character 18: a string, True, False or a tuple was expected"
    )]
    [TestCase("{'fortran_order': False", "malformed .npy header at character 23: ',' or '}' expected")]
    [TestCase("{", "malformed .npy header at character 1: a quoted string was expected")]
    [TestCase("", "malformed .npy header at character 0: '{' expected")]
    public void A_malformed_header_is_refused_at_its_position(string text, string message) =>
        Assert.That(Refusal(Raw(text)), Is.EqualTo(message));

    [TestCase("{\"descr\": \"<f4\", \"fortran_order\": True, \"shape\": (2, 2)}")]
    [TestCase(" {'descr':'<f4','fortran_order':True,'shape':(2,2)} \n")]
    [TestCase("{ 'shape' : ( 2 , 2 , ) , 'fortran_order' : True , 'descr' : '<f4' , }")]
    public void A_header_is_read_whatever_its_quotes_spacing_key_order_and_trailing_commas(string text)
    {
        var array = Read([.. Raw(text), .. NpyBytes.Data(1, 2, 3, 4)]);
        Assert.That(array.Tensor.ShapeArray(), Is.EqualTo(new[] { 2, 2 }));
        Assert.That(Values(array), Is.EqualTo(new float[] { 1, 3, 2, 4 }), "read as the Fortran order it declares");
    }

    // The file itself.

    [Test]
    public void A_missing_file_or_a_folder_is_named_as_such()
    {
        string missing = Path.Combine(_scratch, "none.npy");
        Assert.That(
            () => NpyFile.Read(missing),
            Throws.TypeOf<FixtureException>().With.Message.EqualTo($"{missing}: missing .npy file")
        );
        Assert.That(
            () => NpyFile.Read(_scratch),
            Throws.TypeOf<FixtureException>().With.Message.EqualTo($"{_scratch}: is a directory, not a .npy file")
        );
        Assert.That(() => NpyFile.Read(null!), Throws.ArgumentNullException);
    }
}
