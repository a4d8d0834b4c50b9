using System.Buffers.Binary;
using System.IO.Compression;
using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>
/// The .npz reader: members found by name, stored or deflated, checked against the case cap from the sizes the
/// archive declares and then from the headers, before anything is inflated; the member count read from the end
/// records (zip64 too) before the directory is loaded. The archives are built here (<see cref="NpyBytes"/>).
/// </summary>
public sealed class NpzFileTests
{
    private string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("convparity-npz-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private string Save(byte[] bytes, string name = "a.npz")
    {
        string path = Path.Combine(_scratch, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Npz(params (string Name, byte[] Bytes)[] members) => NpyBytes.Npz(members);

    /// <summary>The message of the refusal to read <paramref name="names"/> from <paramref name="zip"/>, which must
    /// name the file.</summary>
    private string Refusal(byte[] zip, string[] names, long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes)
    {
        string path = Save(zip);
        var e = Assert.Throws<FixtureException>(() => NpzFile.Read(path, names, maxCaseBytes))!;
        Assert.That(e.Message, Does.StartWith(path));
        Assert.That(NpzFile.EstimatedBytes(path, names), Is.Null.Or.GreaterThan(0), "the estimate never throws");
        return e.Message[path.Length..];
    }

    private static float[] Values(FixtureArray array) => array.Tensor.Span.ToArray();

    private static readonly byte[] Two = NpyBytes.Floats("(2,)", 1.5f, -2);
    private static readonly byte[] Six = NpyBytes.Floats("(2, 3)", 1, 2, 3, 4, 5, 6);

    [TestCase(CompressionLevel.NoCompression)]
    [TestCase(CompressionLevel.Optimal)]
    public void Stored_and_deflated_members_are_read_by_name(CompressionLevel level)
    {
        string path = Save(NpyBytes.Npz([("a.npy", Two), ("b.npy", Six), ("c.npy", Two)], level));
        var arrays = NpzFile.Read(path, ["b", "a", "a"]);
        Assert.That(arrays.Keys, Is.EquivalentTo(new[] { "a", "b" }), "the wanted arrays, each once");
        Assert.That(Values(arrays["a"]), Is.EqualTo(new[] { 1.5f, -2f }));
        Assert.That(Values(arrays["b"]), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(arrays["b"].Tensor.ShapeArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(arrays["b"].DType, Is.EqualTo("float32"));
        Assert.That(NpzFile.EstimatedBytes(path, ["a", "b", "b"]), Is.EqualTo(48 * (2 + 6)));
    }

    [Test]
    public void A_large_deflated_member_is_read_whole()
    {
        var values = Enumerable.Range(0, 300_000).Select(i => (float)(i % 1000)).ToArray();
        string path = Save(NpyBytes.Npz([("x.npy", NpyBytes.Floats("(300000,)", values))], CompressionLevel.Optimal));
        Assert.That(Values(NpzFile.Read(path, ["x"])["x"]), Is.EqualTo(values));
    }

    [Test]
    public void A_missing_array_is_named_with_the_arrays_the_file_holds()
    {
        var zip = Npz(("a.npy", Two), ("notes.txt", [1, 2]), ("b.npy", Six));
        Assert.That(Refusal(zip, ["a", "c"]), Is.EqualTo(": missing array 'c' (the file holds: a, b)"));
        Assert.That(Refusal(zip, ["notes.txt"]), Is.EqualTo(": missing array 'notes.txt' (the file holds: a, b)"));
    }

    [Test]
    public void Two_members_of_one_name_are_refused()
    {
        var zip = Npz(("a.npy", Two), ("a.npy", Six));
        Assert.That(Refusal(zip, ["a"]), Is.EqualTo(": holds two members named 'a.npy'"));
    }

    [Test]
    public void A_member_that_is_not_an_npy_is_refused_naming_the_member()
    {
        var zip = Npz(("a.npy", Two), ("b.npy", "\u0093NUMP"u8.ToArray()));
        var shortMagic = Npz(("a.npy", Two), ("b.npy", [0x93, .. "NUMPY"u8]));
        Assert.That(
            Refusal(zip, ["a", "b"]),
            Is.EqualTo(" array 'b': not an .npy array (the magic string \\x93NUMPY is missing)")
        );
        Assert.That(
            Refusal(shortMagic, ["a", "b"]),
            Is.EqualTo(" array 'b': not an .npy array (the magic string \\x93NUMPY is missing)"),
            "six bytes of magic and no version"
        );
    }

    [Test]
    public void Data_shorter_than_its_header_declares_is_refused_naming_the_member()
    {
        var zip = Npz(("a.npy", Two), ("b.npy", Six[..^1]));
        Assert.That(
            Refusal(zip, ["a", "b"]),
            Is.EqualTo(
                " array 'b': truncated: the header declares 24 bytes of data (shape (2, 3), float32), the file holds 23"
            )
        );
    }

    // The case cap: the declared sizes first, then the headers.

    [Test]
    public void Arrays_costing_exactly_the_cap_are_read_and_more_is_refused_listing_them()
    {
        string path = Save(Npz(("a.npy", Two), ("b.npy", Six)));
        Assert.That(NpzFile.Read(path, ["a", "b"], maxCaseBytes: 48 * 8), Has.Count.EqualTo(2));
        Assert.That(
            Refusal(File.ReadAllBytes(path), ["a", "b"], maxCaseBytes: 48 * 8 - 1),
            Is.EqualTo(
                ": 'a' (2,) float32, 'b' (2, 3) float32: checking them takes an estimated 384 bytes, "
                    + "above the per-case cap of 383 bytes (raise it with --max-case-bytes)"
            )
        );
    }

    [Test]
    public void Declared_sizes_above_the_cap_and_a_header_allowance_per_array_are_refused_before_any_header()
    {
        // One member of 400128 bytes (100000 float32 after a 128-byte header); the allowance is 65552 per array.
        var values = new float[100_000];
        string path = Save(Npz(("a.npy", NpyBytes.Floats("(100000,)", values))));
        long atAllowance = 400_128 - 65_552;
        Assert.That(
            Refusal(File.ReadAllBytes(path), ["a"], atAllowance),
            Does.StartWith(": 'a' (100000,) float32: checking them takes an estimated 4800000 bytes"),
            "the declared size is within the cap and the allowance: the header is read"
        );
        Assert.That(
            Refusal(File.ReadAllBytes(path), ["a", "a"], atAllowance),
            Does.StartWith(": 'a' (100000,) float32: checking them takes an estimated 4800000 bytes"),
            "an array named twice is counted once"
        );
        Assert.That(
            Refusal(File.ReadAllBytes(path), ["a"], atAllowance - 1),
            Is.EqualTo(
                ": its arrays declare, uncompressed, 400128 bytes, above the per-case cap of 334575 bytes "
                    + "(raise it with --max-case-bytes)"
            )
        );
    }

    [Test]
    public void The_estimate_is_48_bytes_per_element_from_the_headers_alone_and_null_when_unreadable()
    {
        string path = Save(
            Npz(("a.npy", NpyBytes.Array("<f8", false, "(300, 300)", new byte[720_000])), ("b.npy", Two))
        );
        Assert.That(NpzFile.EstimatedBytes(path, ["a", "b"]), Is.EqualTo(48L * 90_002));
        Assert.That(NpzFile.EstimatedBytes(path, ["c"]), Is.Null);
        Assert.That(NpzFile.EstimatedBytes(Path.Combine(_scratch, "none.npz"), ["a"]), Is.Null);
        Assert.That(() => NpzFile.EstimatedBytes(null!, ["a"]), Throws.ArgumentNullException);
        Assert.That(
            () => NpzFile.EstimatedBytes(path, null!),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("names")
        );
    }

    // Members inflating past what the archive declares.

    [Test]
    public void A_member_longer_than_declared_is_read_no_further_than_declared()
    {
        // A stored member is read to its stored length (a deflated one stops at its declared size by itself).
        var zip = NpyBytes.Npz([("a.npy", Six)], CompressionLevel.NoCompression);
        NpyBytes.DeclareSize(zip, "a.npy", 50);
        Assert.That(
            Refusal(zip, ["a"]),
            Is.EqualTo(" array 'a': the member inflates past its declared size of 50 bytes")
        );
    }

    [Test]
    public void A_stored_member_shorter_than_the_archive_declares_is_refused_by_what_it_holds()
    {
        var zip = NpyBytes.Npz([("a.npy", Six[..^4])]);
        NpyBytes.DeclareSize(zip, "a.npy", (uint)Six.Length);
        Assert.That(
            Refusal(zip, ["a"]),
            Is.EqualTo(
                " array 'a': truncated: the header declares 24 bytes of data (shape (2, 3), float32), the file holds 20"
            )
        );
    }

    [Test]
    public void A_stored_member_cut_short_after_the_first_read_chunk_is_refused_by_what_it_holds()
    {
        // 20000 float32 declared (80000 bytes), 70000 held: the cut falls in the second 64 KiB chunk.
        var cut = NpyBytes.Array("<f4", false, "(20000,)", new byte[70_000]);
        var zip = NpyBytes.Npz([("a.npy", cut)]);
        NpyBytes.DeclareSize(zip, "a.npy", (uint)(cut.Length + 10_000));
        Assert.That(Refusal(zip, ["a"]), Does.EndWith("the file holds 70000"));
    }

    [Test]
    public void A_member_shorter_than_its_header_declares_is_refused_before_the_array_is_allocated()
    {
        string path = Save(Npz(("a.npy", NpyBytes.Header(NpyBytes.Dict("<f4", false, "(20000000,)")))));
        long before = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(
            () => NpzFile.Read(path, ["a"]),
            Throws.TypeOf<FixtureException>().With.Message.EndWith("the file holds 0")
        );
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(16 << 20));
    }

    // The file and its end records.

    [Test]
    public void A_zip_with_the_longest_comment_is_read()
    {
        var zip = Npz(("a.npy", Two));
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(zip.Length - 2), 0xFFFF);
        string path = Save([.. zip, .. new byte[0xFFFF]]);
        Assert.That(Values(NpzFile.Read(path, ["a"])["a"]), Is.EqualTo(new[] { 1.5f, -2f }));
    }

    [Test]
    public void A_zip64_record_cut_short_by_the_end_of_the_file_is_refused()
    {
        var record = NpyBytes.Zip64Record(1, 0, 0)[..30];
        var zip = (byte[])[.. NpyBytes.Zip64Locator(42), .. NpyBytes.EndOfDirectory(0xFFFF, 0, record)];
        Assert.That(
            Refusal(zip, ["a"]),
            Is.EqualTo(": not a readable .npz: a broken zip64 end-of-central-directory record")
        );
    }

    [TestCase(21, "21 bytes: too short for a .npz file (or not a regular file: a pipe, a device)")]
    [TestCase(0, "0 bytes: too short for a .npz file (or not a regular file: a pipe, a device)")]
    public void A_file_shorter_than_any_zip_is_refused_by_length(int length, string message) =>
        Assert.That(Refusal(new byte[length], ["a"]), Is.EqualTo(": " + message));

    [Test]
    public void An_empty_zip_of_22_bytes_is_read_and_holds_nothing() =>
        Assert.That(
            Refusal(NpyBytes.EndOfDirectory(0, 0), ["a"]),
            Is.EqualTo(": missing array 'a' (the file holds: )")
        );

    [Test]
    public void A_file_without_an_end_record_is_not_a_zip()
    {
        var zip = Npz(("a.npy", Two));
        zip[^22] = 0;
        Assert.That(Refusal(zip, ["a"]), Is.EqualTo(": not a readable .npz: no zip end-of-central-directory record"));
        Assert.That(
            Refusal(new byte[100], ["a"]),
            Is.EqualTo(": not a readable .npz: no zip end-of-central-directory record")
        );
    }

    [Test]
    public void A_zip_with_a_comment_after_its_end_record_is_read()
    {
        var zip = Npz(("a.npy", Two));
        BinaryPrimitives.WriteUInt16LittleEndian(zip.AsSpan(zip.Length - 2), 300);
        string path = Save([.. zip, .. new byte[300]]);
        Assert.That(Values(NpzFile.Read(path, ["a"])["a"]), Is.EqualTo(new[] { 1.5f, -2f }));
    }

    [Test]
    public void A_zip_of_4096_members_is_read_and_one_of_4097_refused_by_count()
    {
        var fillers = Enumerable.Range(0, NpzFile.MaxMembers - 1).Select(i => ($"f{i}", Array.Empty<byte>()));
        string path = Save(NpyBytes.Npz([("a.npy", Two), .. fillers]));
        Assert.That(Values(NpzFile.Read(path, ["a"])["a"]), Is.EqualTo(new[] { 1.5f, -2f }));
        var more = NpyBytes.Npz([("a.npy", Two), ("g", []), .. fillers]);
        Assert.That(Refusal(more, ["a"]), Is.EqualTo(": the archive declares 4097 members; at most 4096 are read"));
    }

    [Test]
    public void A_zip64_end_record_is_read_for_the_member_count()
    {
        var zip = Npz(("a.npy", Two), ("b.npy", Six));
        string path = Save(NpyBytes.AsZip64(zip, 2));
        Assert.That(Values(NpzFile.Read(path, ["b"])["b"]), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        Assert.That(
            Refusal(NpyBytes.AsZip64(zip, 5000), ["a"]),
            Is.EqualTo(": the archive declares 5000 members; at most 4096 are read")
        );
        Assert.That(
            Refusal(NpyBytes.AsZip64(zip, (1UL << 32) + 1), ["a"]),
            Is.EqualTo(": the archive declares 4294967297 members; at most 4096 are read"),
            "the zip64 count is 64 bits"
        );
    }

    [Test]
    public void A_zip64_locator_pointing_at_no_record_is_refused()
    {
        var zip64 = NpyBytes.AsZip64(Npz(("a.npy", Two)), 1);
        int locator = zip64.Length - 22 - 20;
        var elsewhere = zip64.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(elsewhere.AsSpan(locator + 8), 0);
        var beyond = zip64.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(beyond.AsSpan(locator + 8), ulong.MaxValue);
        var partial = zip64.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(partial.AsSpan(locator + 8), (ulong)(zip64.Length - 40));
        foreach (var broken in new[] { elsewhere, beyond, partial })
            Assert.That(
                Refusal(broken, ["a"]),
                Is.EqualTo(": not a readable .npz: a broken zip64 end-of-central-directory record")
            );
    }

    [Test]
    public void A_zip64_locator_right_at_the_start_is_read()
    {
        // The locator at 0, the end record at 20, and the zip64 record (declaring 5000 members) in its comment.
        var record = NpyBytes.Zip64Record(5000, 0, 0);
        var zip = (byte[])[.. NpyBytes.Zip64Locator(42), .. NpyBytes.EndOfDirectory(0xFFFF, 0, record)];
        Assert.That(Refusal(zip, ["a"]), Is.EqualTo(": the archive declares 5000 members; at most 4096 are read"));
    }

    [Test]
    public void An_end_record_claiming_zip64_without_a_locator_is_refused_by_its_count()
    {
        var zip = NpyBytes.EndOfDirectory(0xFFFF, 0);
        Assert.That(Refusal(zip, ["a"]), Is.EqualTo(": the archive declares 65535 members; at most 4096 are read"));
        Assert.That(
            Refusal([.. new byte[20], .. zip], ["a"]),
            Is.EqualTo(": the archive declares 65535 members; at most 4096 are read")
        );
    }

    [Test]
    public void A_missing_file_a_folder_and_garbage_are_named()
    {
        string missing = Path.Combine(_scratch, "none.npz");
        Assert.That(
            () => NpzFile.Read(missing, ["a"]),
            Throws.TypeOf<FixtureException>().With.Message.EqualTo($"{missing}: missing .npz file")
        );
        Assert.That(
            () => NpzFile.Read(_scratch, ["a"]),
            Throws.TypeOf<FixtureException>().With.Message.EqualTo($"{_scratch}: is a directory, not a .npz file")
        );
        var zip = Npz(("a.npy", Two));
        zip[0] = 0; // the local header's signature: the directory is sound, the member is not
        Assert.That(Refusal(zip, ["a"]), Does.StartWith(": not a readable .npz: "));
        Assert.That(() => NpzFile.Read(null!, ["a"]), Throws.ArgumentNullException);
        Assert.That(() => NpzFile.Read(missing, null!), Throws.ArgumentNullException);
    }
}
