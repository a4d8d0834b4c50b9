using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using ConvParity.Cli;
using ConvParity.Conventions;
using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>
/// A fixture folder is untrusted input (issue 10): hostile shapes, decompression bombs, symbolic links, JSON nulls and
/// directories where files belong each become the touched case's verdict with its reason, and the other cases still
/// pass. Every hostile input is built here from a copy of the committed seed suite.
/// </summary>
public sealed class HostileSuiteTests
{
    private const string FlipCase = FixtureCheckTests.FlipCase;

    /// <summary>Damages a copy of the seed suite; returns the flip case's result after checking that every other case
    /// passed.</summary>
    private static CaseResult Damaged(Action<TempSuite> damage, long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes)
    {
        using var suite = new TempSuite("seed");
        damage(suite);
        var results = Cli.CheckCommand.Check(
            FixtureSuite.Load(suite.Folder, maxCaseBytes),
            [new Engines.ReferenceEngine()]
        );
        Assert.That(
            results.Where(r => r.CaseId != FlipCase).Select(r => r.Outcome),
            Is.All.EqualTo(CaseOutcome.Passed),
            "the run goes on: the undamaged cases are still checked"
        );
        return results.Single(r => r.CaseId == FlipCase);
    }

    private static void AssertFails(CaseResult result, params string[] words)
    {
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Failed), result.Message);
        foreach (string word in words)
            Assert.That(result.Message, Does.Contain(word));
    }

    // 3. Crashes: declared shapes that overflow or cannot be allocated.

    [TestCase("(100000, 100000, 100000)", "more than one array holds")]
    [TestCase("(10000000000, 10000000000)", "more than a tensor holds on one axis")]
    [TestCase("(3000000000, 0)", "more than a tensor holds on one axis")]
    [TestCase("(2000000000, 2000000000, 2000000000)", "too many elements to count in 64 bits")]
    [TestCase("(99999999999999999999999,)", "too large to be a size")]
    public void A_header_declaring_a_huge_shape_fails_its_case_by_name(string shape, string reason) =>
        AssertFails(
            Damaged(s => s.WriteMember("0001.npz", "input", TempSuite.NpyHeader("<f4", false, shape))),
            "0001.npz array 'input'",
            reason
        );

    [Test]
    public void Arrays_declaring_more_than_the_cap_fail_before_any_is_allocated()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var suite = new TempSuite("seed");
        suite.WriteMember("0001.npz", "input", TempSuite.NpyHeader("<f4", false, "(1, 1, 16384, 16384)"));
        var error = Assert.Throws<FixtureException>(() =>
            NpzFile.Read(Path.Combine(suite.Folder, "0001.npz"), ["input", "filters", "expected"])
        )!;
        Assert.That(
            error.Message,
            Does.Contain("'input' (1, 1, 16384, 16384) float32")
                .And.Contain("above the per-case cap of 1073741824 bytes")
        );
        Assert.That(
            GC.GetAllocatedBytesForCurrentThread() - before,
            Is.LessThan(64 << 20),
            "nothing near the declared 1 GiB was allocated"
        );
    }

    [Test]
    public void Data_shorter_than_its_header_declares_fails_by_name() =>
        AssertFails(
            Damaged(s =>
                s.WriteMember(
                    "0001.npz",
                    "input",
                    [.. TempSuite.NpyHeader("<f4", false, "(1, 1, 6, 6)"), .. new byte[100]]
                )
            ),
            "truncated: the header declares 144 bytes of data",
            "holds 100"
        );

    [TestCase("{'descr': '|O', 'fortran_order': False, 'shape': (1, 1, 6, 6), }", "pickles")]
    [TestCase("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", "structured")]
    [TestCase(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 6, 6), 'x': 'y'}",
        "exactly 'descr', 'fortran_order' and 'shape'"
    )]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 6), }", "non-negative integers")]
    public void A_malformed_or_unsafe_header_fails_by_name(string dict, string reason) =>
        AssertFails(
            Damaged(s => s.WriteMember("0001.npz", "input", TempSuite.NpyHeader(dict))),
            "0001.npz array 'input'",
            reason
        );

    // 4. Decompression bombs.

    [Test]
    public void A_member_declaring_2_GiB_is_refused_before_anything_is_inflated()
    {
        var result = Damaged(s =>
        {
            s.WriteMember("0001.npz", "input", s.Member("0001.npz", "input"));
            DeclareSize(Path.Combine(s.Folder, "0001.npz"), "input.npy", 1u << 31);
        });
        AssertFails(
            result,
            "0001.npz",
            "its arrays declare, uncompressed,",
            "above the per-case cap of 1073741824 bytes"
        );
    }

    /// <summary>The bomb of the issue, made honestly: 2 GiB of zeros streamed through deflate into a few MB.</summary>
    [Test]
    public void A_member_inflating_to_2_GiB_is_refused_on_its_declared_size_before_inflating()
    {
        const int side = 23170; // 23170^2 float32 = 2 GiB of zeros
        var result = Damaged(s =>
            s.WriteMember(
                "0001.npz",
                "input",
                stream =>
                {
                    stream.Write(TempSuite.NpyHeader("<f4", false, $"(1, 1, {side}, {side})"));
                    var zeros = new byte[1 << 20];
                    for (long left = (long)side * side * 4; left > 0; left -= zeros.Length)
                        stream.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
                },
                CompressionLevel.Fastest
            )
        );
        AssertFails(
            result,
            "0001.npz",
            "its arrays declare, uncompressed,",
            "above the per-case cap of 1073741824 bytes"
        );
    }

    [Test]
    public void A_member_longer_than_its_archive_declares_is_read_no_further()
    {
        var result = Damaged(s =>
        {
            // The .npy header (128 bytes) and data (144) are honest; the archive's directory says the member holds 200
            // bytes.
            s.WriteMember("0001.npz", "input", s.Member("0001.npz", "input"));
            DeclareSize(Path.Combine(s.Folder, "0001.npz"), "input.npy", 200);
        });
        AssertFails(result, "0001.npz array 'input'", "truncated: the header declares 144 bytes of data", "holds 72");
    }

    [Test]
    public void The_cap_is_an_option_and_a_case_above_it_fails_while_the_others_are_checked()
    {
        var (code, output, _) = CommandRunner.Run(
            "check",
            "--fixtures",
            Path.Combine(Repository.Fixtures, "seed"),
            "--engine",
            "cpu-reference",
            "--max-case-bytes",
            "200"
        );
        Assert.That(code, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output, Does.Contain("above the per-case cap of 200 bytes (raise it with --max-case-bytes)"));
        Assert.That(output, Does.Contain("0 passed, 5 failed, 0 unsupported"));
        var (badCode, _, errors) = CommandRunner.Run("check", "--fixtures", "x", "--max-case-bytes", "0");
        Assert.That(badCode, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain("--max-case-bytes '0' is not a positive byte count"));
        Assert.That(CaseLimits.ParseBytes("2GiB"), Is.EqualTo(2L << 30));
    }

    [Test]
    public void A_case_asking_for_more_arithmetic_than_the_cap_allows_fails_before_any_is_done()
    {
        // scipy.signal.correlate(in1 600x600, in2 300x300, 'valid'): 1.8 MB of arrays, 8.15e9 multiply-adds per engine.
        static byte[] Zeros(int rows, int columns) =>
            [.. TempSuite.NpyHeader("<f4", false, $"({rows}, {columns})"), .. new byte[4 * rows * columns]];
        using var suite = new TempSuite("seed");
        suite.WriteMember("0003.npz", "in1", Zeros(600, 600));
        suite.WriteMember("0003.npz", "in2", Zeros(300, 300));
        suite.WriteMember("0003.npz", "expected", Zeros(301, 301));
        var check = Task.Run(() =>
            Cli.CheckCommand.Check(FixtureSuite.Load(suite.Folder), [new Engines.ReferenceEngine()])
        );
        Assert.That(check.Wait(TimeSpan.FromSeconds(30)), Is.True, "the check did the arithmetic");
        var result = check.Result.Single(r => r.CaseId.EndsWith("0003", StringComparison.Ordinal));
        AssertFails(result, "the case asks for 8.15E+09 multiply-adds per engine, above the cap of 2.15E+09");
    }

    // Orders and byte orders numpy writes: read correctly, never wrapped as C-ordered little-endian.

    [Test]
    public void A_fortran_order_array_is_read_in_its_own_order()
    {
        var result = Damaged(s =>
        {
            var c = MemoryMarshal.Cast<byte, float>(Data(s.Member("0001.npz", "input"))).ToArray();
            var fortran = new float[36];
            for (int i = 0; i < 6; i++)
            for (int j = 0; j < 6; j++)
                fortran[i + 6 * j] = c[6 * i + j];
            s.WriteMember(
                "0001.npz",
                "input",
                [.. TempSuite.NpyHeader("<f4", true, "(1, 1, 6, 6)"), .. MemoryMarshal.AsBytes(fortran.AsSpan())]
            );
        });
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Passed), result.Message);
    }

    [Test]
    public void A_big_endian_float64_array_is_read_by_value()
    {
        var result = Damaged(s =>
        {
            var values = MemoryMarshal.Cast<byte, float>(Data(s.Member("0001.npz", "input"))).ToArray();
            var bytes = new byte[values.Length * 8];
            for (int i = 0; i < values.Length; i++)
                BinaryPrimitives.WriteDoubleBigEndian(bytes.AsSpan(8 * i), values[i]);
            s.WriteMember("0001.npz", "input", [.. TempSuite.NpyHeader(">f8", false, "(1, 1, 6, 6)"), .. bytes]);
        });
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Passed), result.Message);
    }

    // 6. Symbolic links.

    [Test]
    public void An_npz_that_is_a_link_to_a_file_outside_the_suite_fails()
    {
        string outside = Path.Combine(Path.GetTempPath(), $"convparity-outside-{Guid.NewGuid():N}.npz");
        File.Copy(Path.Combine(Repository.Fixtures, "seed", "0001.npz"), outside);
        try
        {
            var result = Damaged(s =>
            {
                File.Delete(Path.Combine(s.Folder, "0001.npz"));
                File.CreateSymbolicLink(Path.Combine(s.Folder, "0001.npz"), outside);
            });
            AssertFails(result, "0001.npz", "symbolic link", "outside the suite folder");
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Test]
    public void A_linked_subfolder_leading_outside_the_suite_fails()
    {
        string outside = Directory.CreateTempSubdirectory("convparity-outside-").FullName;
        File.Copy(Path.Combine(Repository.Fixtures, "seed", "0001.npz"), Path.Combine(outside, "0001.npz"));
        try
        {
            var result = Damaged(s =>
            {
                Directory.CreateSymbolicLink(Path.Combine(s.Folder, "sub"), outside);
                s.EditCase("/0001", c => c["file"] = "sub/0001.npz");
            });
            AssertFails(result, "sub", "outside the suite folder");
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Test]
    public void A_link_inside_the_suite_to_a_file_inside_it_is_followed()
    {
        var result = Damaged(s =>
        {
            Directory.CreateDirectory(Path.Combine(s.Folder, "data"));
            File.Move(Path.Combine(s.Folder, "0001.npz"), Path.Combine(s.Folder, "data", "0001.npz"));
            File.CreateSymbolicLink(Path.Combine(s.Folder, "0001.npz"), Path.Combine("data", "0001.npz"));
        });
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Passed), result.Message);
    }

    [Test]
    public void A_file_naming_the_suite_folder_itself_fails_by_name() =>
        AssertFails(Damaged(s => s.EditCase("/0001", c => c["file"] = ".")), "names the suite folder itself");

    [TestCase("id")]
    [TestCase("file")]
    [TestCase("call")]
    public void Control_characters_in_a_manifest_name_are_refused_before_they_reach_a_terminal(string field)
    {
        using var suite = new TempSuite("seed");
        suite.EditCase("/0001", c => c[field] = "x\u001b[2J\u0000.npz");
        Assert.That(
            () => FixtureSuite.Load(suite.Folder),
            Throws.TypeOf<FixtureException>().With.Message.Contain($"'{field}' holds control characters")
        );
    }

    [Test]
    public void A_link_loop_fails_by_name() =>
        AssertFails(
            Damaged(s =>
            {
                File.Delete(Path.Combine(s.Folder, "0001.npz"));
                File.CreateSymbolicLink(Path.Combine(s.Folder, "0001.npz"), "loop.npz");
                File.CreateSymbolicLink(Path.Combine(s.Folder, "loop.npz"), "0001.npz");
            }),
            "symbolic links"
        );

    // 7. JSON null is Python's None, which the libraries refuse: never the default.

    [TestCase("/0001", "border_mode")]
    [TestCase("/0001", "subsample")]
    [TestCase("/0001", "filter_flip")]
    public void A_null_keyword_argument_fails_naming_it(string idSuffix, string argument) =>
        AssertFails(
            Damaged(s => s.EditCase(idSuffix, c => c["kwargs"]![argument] = null)),
            $"argument '{argument}'",
            "null (Python None)"
        );

    [TestCase("numpy.convolve", "mode")]
    [TestCase("scipy.signal.correlate", "mode")]
    [TestCase("scipy.signal.correlate", "method")]
    [TestCase("scipy.signal.convolve2d", "boundary")]
    [TestCase("scipy.ndimage.convolve", "mode")]
    [TestCase("scipy.ndimage.convolve", "cval")]
    public void Null_is_refused_by_every_convention(string call, string argument)
    {
        int[] shape = call.StartsWith("numpy", StringComparison.Ordinal) ? [6] : [6, 6];
        var kwargs = new JsonObject { [argument] = null };
        Assert.That(
            () => ConventionRegistry.Plan(call, [shape, shape], kwargs),
            Throws
                .InstanceOf<InvalidCallException>()
                .With.Property(nameof(InvalidCallException.Keyword))
                .EqualTo(argument)
                .And.Message.Contain($"argument '{argument}'")
                .And.Message.Contain("null (Python None)")
        );
    }

    // 8. Messages.

    [Test]
    public void A_directory_where_an_npz_belongs_is_called_a_directory() =>
        AssertFails(
            Damaged(s =>
            {
                File.Delete(Path.Combine(s.Folder, "0001.npz"));
                Directory.CreateDirectory(Path.Combine(s.Folder, "0001.npz"));
            }),
            "0001.npz: is a directory, not a .npz file"
        );

    [Test]
    public void A_pipe_where_an_npz_belongs_is_refused_without_waiting_on_it()
    {
        using var suite = new TempSuite("seed");
        string npz = Path.Combine(suite.Folder, "0001.npz");
        File.Delete(npz);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", npz))
            mkfifo.WaitForExit();
        if (!File.Exists(npz))
            Assert.Ignore("mkfifo is not available here");
        // Opening a pipe for reading blocks until a writer comes: a hung check would never finish.
        var check = Task.Run(() =>
            Cli.CheckCommand.Check(FixtureSuite.Load(suite.Folder), [new Engines.ReferenceEngine()])
        );
        Assert.That(check.Wait(TimeSpan.FromSeconds(30)), Is.True, "the check waited on the pipe");
        var result = check.Result.Single(r => r.CaseId == FlipCase);
        AssertFails(result, "0001.npz: 0 bytes: too short for a .npz file (or not a regular file");
    }

    [Test]
    public void A_suite_of_more_cases_than_the_limit_is_refused_by_name()
    {
        using var suite = new TempSuite("seed");
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(suite.Folder, "manifest.json")))!.AsObject();
        var one = root["cases"]![1]!;
        root["cases"] = new JsonArray([
            .. Enumerable
                .Range(0, FixtureSuite.MaxCases + 1)
                .Select(i =>
                {
                    var copy = one.DeepClone();
                    copy["id"] = $"copy-{i}";
                    return copy;
                }),
        ]);
        suite.WriteManifest(root.ToJsonString());
        Assert.That(
            () => FixtureSuite.Load(suite.Folder),
            Throws.TypeOf<FixtureException>().With.Message.Contain("10001 cases; a suite may hold at most 10000")
        );
    }

    [Test]
    public void A_directory_where_the_manifest_belongs_is_called_a_directory()
    {
        using var suite = new TempSuite("seed");
        File.Delete(Path.Combine(suite.Folder, "manifest.json"));
        Directory.CreateDirectory(Path.Combine(suite.Folder, "manifest.json"));
        Assert.That(
            () => FixtureSuite.Load(suite.Folder),
            Throws.TypeOf<FixtureException>().With.Message.Contain("manifest.json: is a directory")
        );
    }

    [TestCase("(0, 6)", "is empty (shape [0, 6])")]
    [TestCase("()", "is a 0-d array")]
    public void Explain_with_an_empty_or_0d_input_names_it_on_stderr(string shape, string reason)
    {
        using var suite = new TempSuite("seed");
        string Save(string name, byte[] bytes)
        {
            string path = Path.Combine(suite.Folder, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }
        int elements = shape == "()" ? 1 : 0;
        string x = Save("x.npy", [.. TempSuite.NpyHeader("<f4", false, shape), .. new byte[4 * elements]]);
        string w = Save("w.npy", [.. TempSuite.NpyHeader("<f4", false, "(3,)"), .. new byte[12]]);
        var (output, errors) = (new StringWriter(), new StringWriter());
        int code = CommandLine.Run(["explain", "--input", x, "--kernel", w, "--output", w], output, errors);
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors.ToString(), Does.Contain($"--input {x} {reason}"));
    }

    [Test]
    public void Explain_with_a_huge_declared_npy_names_it_and_allocates_nothing()
    {
        using var suite = new TempSuite("seed");
        string x = Path.Combine(suite.Folder, "x.npy");
        File.WriteAllBytes(x, TempSuite.NpyHeader("<f4", false, "(100000, 100000, 100000)"));
        var errors = new StringWriter();
        int code = CommandLine.Run(["explain", "--input", x, "--kernel", x, "--output", x], new StringWriter(), errors);
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(
            errors.ToString(),
            Does.Contain("x.npy: shape (100000, 100000, 100000) declares 1000000000000000 elements")
        );
    }

    /// <summary>The data bytes of an .npy member (after its header).</summary>
    private static byte[] Data(byte[] npy)
    {
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(npy.AsSpan(8));
        return npy[(10 + headerLength)..];
    }

    /// <summary>Overwrites the uncompressed size a zip declares for <paramref name="member"/> (central directory and
    /// local header).</summary>
    private static void DeclareSize(string zip, string member, uint size)
    {
        var bytes = File.ReadAllBytes(zip);
        var name = System.Text.Encoding.ASCII.GetBytes(member);
        for (int at = 0; at + 46 < bytes.Length; at++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at));
            var (nameAt, sizeAt) = signature switch
            {
                0x02014b50 => (46, 24),
                0x04034b50 => (30, 22),
                _ => (-1, -1),
            };
            if (nameAt < 0 || !bytes.AsSpan(at + nameAt).StartsWith(name))
                continue;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + sizeAt), size);
        }
        File.WriteAllBytes(zip, bytes);
    }
}
