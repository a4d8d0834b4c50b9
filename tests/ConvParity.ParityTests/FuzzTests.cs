using System.Text.Json.Nodes;
using ConvParity.Engines;
using ConvParity.Fixtures;
using CsCheck;

namespace ConvParity.Tests;

/// <summary>
/// Property: whatever is done to a suite's manifest, its .npz members or their .npy headers and bytes, loading it
/// either
/// fails with a named <see cref="FixtureException"/>, or the check returns one verdict per case and engine, each
/// failure
/// with its reason; nothing else is ever thrown out of the run. The default run replays a fixed seed with a modest
/// count;
/// the category Fuzz runs many random ones (CsCheck prints the seed of a failure to replay it).
/// </summary>
public sealed class FuzzTests
{
    /// <summary>Values a hostile manifest may hold anywhere.</summary>
    private static readonly Func<JsonNode?>[] Values =
    [
        () => null,
        () => 0,
        () => -1,
        () => 1e308,
        () => 2147483648L,
        () => true,
        () => "",
        () => "..",
        () => "/etc/passwd",
        () => "0000.npz",
        () => "../seed/0001.npz",
        () => "os.system",
        () => "numpy.convolve",
        () => "theano.tensor.nnet.conv2d",
        () => "scipy.signal.correlate",
        () => "valid",
        () => "same",
        () => "full",
        () => "half",
        () => new string('x', 5000),
        () => new JsonArray(),
        () => new JsonArray("input"),
        () => new JsonArray("input", "filters", "expected"),
        () => new JsonArray(1, 1),
        () => new JsonArray(0, -3),
        () => new JsonArray(new JsonArray(1, 2), new JsonArray(3, 4)),
        () => new JsonObject(),
        () => new JsonObject { ["mode"] = null },
        () => new JsonObject { ["command"] = "touch x" },
    ];

    private static readonly string[] Fields =
    [
        "id",
        "file",
        "call",
        "args",
        "kwargs",
        "expected",
        "note",
        "format",
        "suite",
        "cases",
    ];
    private static readonly string[] KwargNames =
    [
        "mode",
        "border_mode",
        "boundary",
        "subsample",
        "filter_flip",
        "filter_dilation",
        "method",
        "fillvalue",
        "origin",
        "axis",
        "axes",
        "num_groups",
        "unshared",
        "conv_mode",
        "precision",
        "command",
    ];
    private static readonly string[] Descrs =
    [
        "<f4",
        ">f4",
        "<f8",
        ">f8",
        "<f2",
        "|i1",
        "<i2",
        ">i4",
        "<i8",
        "|u1",
        "<u8",
        "|b1",
        "<c8",
        "|O",
        "<U3",
        "<f16",
        "f4",
        "=f4",
        "<f4x",
        "",
    ];
    private static readonly string[] Shapes =
    [
        "()",
        "(0,)",
        "(6,)",
        "(1, 1, 6, 6)",
        "(6, 6)",
        "(1, 1, 1, 1)",
        "(36,)",
        "(2, 3, 6)",
        "(100000, 100000, 100000)",
        "(10000000000, 10000000000)",
        "(3000000000, 0)",
        "(2147483647, 2)",
        "(1, 1, 23170, 23170)",
        "(1, 1, 6, 6, 1, 1, 1)",
        "(1, 1, -6, 6)",
        "(1e3,)",
        "[6]",
        "(6,,)",
        "(",
    ];
    private static readonly string[] Members = ["input", "filters", "expected", "in1", "in2", "img", "kerns"];

    /// <summary>One edit: what kind, where, and which value (each an index taken modulo what it picks from).</summary>
    private sealed record Edit(int Kind, int Target, int Position, int Value, bool Flag)
    {
        public override string ToString() => $"({Kind}, {Target}, {Position}, {Value}, {Flag})";
    }

    private static readonly Gen<Edit[]> Mutations = Gen.Select(
        Gen.Int[0, 11],
        Gen.Int[0, 1000],
        Gen.Int[0, 1 << 20],
        Gen.Int[0, 1000],
        Gen.Bool,
        (k, t, p, v, f) => new Edit(k, t, p, v, f)
    ).Array[1, 4];

    [Test]
    public void Mutated_suites_give_verdicts_or_named_errors_fixed_seed()
    {
        var random = new PCG(1, 20261202);
        for (int i = 0; i < 60; i++)
            CheckMutated(Mutations.Generate(random, null, out _));
    }

    [Test, Category("Fuzz"), Explicit("a long random run: dotnet test --filter TestCategory=Fuzz")]
    public void Mutated_suites_give_verdicts_or_named_errors_random() =>
        Mutations.Sample(
            CheckMutated,
            iter: 3000,
            threads: 1,
            print: edits => string.Join(" ", edits.Select(e => e.ToString()))
        );

    private static void CheckMutated(Edit[] edits)
    {
        using var suite = new TempSuite("seed");
        foreach (var edit in edits)
            Apply(suite, edit);
        FixtureSuite loaded;
        try
        {
            loaded = FixtureSuite.Load(suite.Folder);
        }
        catch (FixtureException e)
        {
            Assert.That(e.Message, Does.StartWith(e.Path), "a named error names the file");
            return;
        }
        var results = Cli.CheckCommand.Check(loaded, [new ReferenceEngine()]);
        Assert.That(results, Has.Count.EqualTo(loaded.Cases.Count), "one verdict per case and engine");
        foreach (var r in results.Where(r => r.Outcome != CaseOutcome.Passed))
            Assert.That(r.Message, Is.Not.Empty, $"{r.CaseId}: a failure says why");
        foreach (string npy in Directory.GetFiles(suite.Folder, "*.npy"))
        {
            try
            {
                NpyFile.Read(npy);
            }
            catch (FixtureException) { } // a named error is an answer; anything else escapes and fails the test
        }
    }

    private static void Apply(TempSuite suite, Edit e)
    {
        string manifest = Path.Combine(suite.Folder, "manifest.json");
        string npz = $"000{e.Target % 5}.npz";
        switch (e.Kind)
        {
            case 0 or 1 or 2: // a field of a case (or of the header) set, removed, or a kwarg set
                EditJson(
                    manifest,
                    root =>
                    {
                        var cases = root["cases"] as JsonArray;
                        JsonObject? target =
                            cases is { Count: > 0 } && e.Flag ? cases[e.Target % cases.Count] as JsonObject : root;
                        if (target is null)
                            return;
                        if (e.Kind == 2 && target["kwargs"] is JsonObject kwargs)
                            kwargs[KwargNames[e.Value % KwargNames.Length]] = Values[e.Position % Values.Length]();
                        else if (e.Kind == 1)
                            target.Remove(Fields[e.Value % Fields.Length]);
                        else
                            target[Fields[e.Value % Fields.Length]] = Values[e.Position % Values.Length]();
                    }
                );
                break;
            case 3: // a byte of the manifest changed, or the manifest cut short
                Bytes(manifest, e);
                break;
            case 4: // a byte of an .npz changed, or the .npz cut short
                Bytes(Path.Combine(suite.Folder, npz), e);
                break;
            // a member replaced by an .npy with a chosen header, and data of the right, short or long length
            case 5 or 6:
            {
                string header =
                    $"{{'descr': '{Descrs[e.Value % Descrs.Length]}', 'fortran_order': {(e.Flag ? "True" : "False")}, "
                    + $"'shape': {Shapes[e.Position % Shapes.Length]}, }}";
                int data = e.Kind == 5 ? 144 : e.Position % 300;
                TryMember(
                    suite,
                    npz,
                    Members[e.Target % Members.Length],
                    [.. TempSuite.NpyHeader(header), .. new byte[data]]
                );
                break;
            }
            case 7: // one character of a member's .npy header changed
            {
                string member = Members[e.Target % Members.Length];
                byte[]? bytes = TryRead(suite, npz, member);
                if (bytes is null || bytes.Length < 12)
                    break;
                int at = 10 + e.Position % Math.Min(bytes.Length - 10, 118);
                bytes[at] = (byte)"(),:'{}0123456789 TFx\n"[e.Value % 22];
                TryMember(suite, npz, member, bytes);
                break;
            }
            case 8: // the .npz replaced by a directory, or by an empty file
                if (Directory.Exists(Path.Combine(suite.Folder, npz)))
                    break;
                File.Delete(Path.Combine(suite.Folder, npz));
                if (e.Flag)
                    Directory.CreateDirectory(Path.Combine(suite.Folder, npz));
                else
                    File.WriteAllBytes(Path.Combine(suite.Folder, npz), []);
                break;
            case 9: // a member's bytes written as a standalone .npy (the explain path reads these)
            {
                byte[]? bytes = TryRead(suite, npz, Members[e.Target % Members.Length]);
                if (bytes is not null)
                    File.WriteAllBytes(
                        Path.Combine(suite.Folder, $"m{e.Value}.npy"),
                        bytes[..Math.Min(bytes.Length, e.Position % 400)]
                    );
                break;
            }
            default: // a whole case duplicated under another id: more work, same answers
                EditJson(
                    manifest,
                    root =>
                    {
                        if (
                            root["cases"] is JsonArray { Count: > 0 } cases
                            && cases[e.Target % cases.Count] is JsonObject c
                        )
                        {
                            var copy = (JsonObject)c.DeepClone();
                            copy["id"] = $"copy-{e.Value}-{cases.Count}";
                            cases.Add(copy);
                        }
                    }
                );
                break;
        }
    }

    private static void EditJson(string manifest, Action<JsonObject> edit)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(manifest)) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return;
        } // already broken by an earlier edit
        if (root is null)
            return;
        edit(root);
        File.WriteAllText(manifest, root.ToJsonString());
    }

    private static void Bytes(string path, Edit e)
    {
        if (!File.Exists(path))
            return;
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0)
            return;
        if (e.Flag)
            bytes[e.Position % bytes.Length] = (byte)e.Value;
        else
            bytes = bytes[..(e.Position % bytes.Length)];
        File.WriteAllBytes(path, bytes);
    }

    private static byte[]? TryRead(TempSuite suite, string npz, string member)
    {
        try
        {
            return suite.Member(npz, member);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void TryMember(TempSuite suite, string npz, string member, byte[] bytes)
    {
        try
        {
            suite.WriteMember(npz, member, bytes);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // an earlier edit broke the archive
        }
    }
}
