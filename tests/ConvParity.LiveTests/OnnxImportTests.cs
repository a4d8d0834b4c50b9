using System.Text.Json.Nodes;
using ConvParity.Fixtures;
using ConvParity.Python;
using ConvParity.Python.Generation;
using Python.Runtime;

namespace ConvParity.Tests.Live;

/// <summary>
/// fixtures/onnx is the ONNX authors' node tests as their files hold them: read again here with the onnx package by
/// code of its own (not the importer's), every Conv and ConvTranspose test is in the suite with the node's input
/// names, exactly its attributes and bit for bit the authors' arrays; the importer writes that suite again, and
/// skips by name what is not a Conv node on float32 tensors or leads outside its folder.
/// </summary>
[Category("Live")]
[NonParallelizable]
public sealed class OnnxImportTests
{
    private const string Reader = """
        import json, os
        import onnx
        from onnx import numpy_helper

        def read(folder):
            model = onnx.load(os.path.join(folder, "model.onnx"))
            node = model.graph.node[0]
            if node.op_type not in ("Conv", "ConvTranspose"):
                return node.op_type, "{}", [], []
            attributes = {}
            for a in node.attribute:
                value = onnx.helper.get_attribute_value(a)
                attributes[a.name] = value.decode() if isinstance(value, bytes) else \
                    value if isinstance(value, int) else [int(v) for v in value]
            data = os.path.join(folder, "test_data_set_0")
            arrays = [numpy_helper.to_array(onnx.load_tensor(os.path.join(data, f"input_{i}.pb")))
                      for i in range(len(node.input))]
            arrays.append(numpy_helper.to_array(onnx.load_tensor(os.path.join(data, "output_0.pb"))))
            return node.op_type, json.dumps(attributes), list(node.input), arrays
        """;

    private string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("convparity-onnx-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    /// <summary>The live reference with onnx and the authors' node tests here; else skipped (failed when this run
    /// demands Python: scripts/setup installs python3-onnx and libonnx-testdata).</summary>
    private static LiveReference Live()
    {
        var live = LivePython.Reference();
        string? missing =
            live.OnnxProblem()
            ?? (
                Directory.Exists(OnnxNodeTests.DefaultSource)
                    ? null
                    : $"{OnnxNodeTests.DefaultSource} is missing (sudo apt-get install libonnx-testdata)"
            );
        if (missing is null)
            return live;
        if (LivePython.Required)
            Assert.Fail($"CONVPARITY_REQUIRE_PYTHON=1 and the ONNX node tests cannot be read: {missing}");
        Assert.Ignore(missing);
        return null!;
    }

    private static (string Op, JsonObject Attributes, string[] Inputs, Tensors.Tensor[] Arrays) ReadAsTheAuthors(
        LiveReference live,
        string folder
    ) =>
        live.Runtime.Run(
            $"reading {folder}",
            () =>
            {
                using var module = PyModule.FromString("onnx_import_test", Reader);
                using var read = module.InvokeMethod("read", new PyString(folder));
                using var names = read[2];
                using var arrays = read[3];
                return (
                    read[0].ToString()!,
                    JsonNode.Parse(read[1].ToString()!)!.AsObject(),
                    Enumerable.Range(0, (int)names.Length()).Select(i => names[i].ToString()!).ToArray(),
                    Enumerable.Range(0, (int)arrays.Length()).Select(i => NumpyArrays.ToTensor(arrays[i])).ToArray()
                );
            }
        );

    private static IEnumerable<string> ConvTests =>
        Directory
            .EnumerateDirectories(OnnxNodeTests.DefaultSource)
            .Where(d => OnnxNodeTests.Prefixes.Any(p => Path.GetFileName(d).StartsWith(p, StringComparison.Ordinal)));

    [Test]
    public void The_committed_suite_is_the_authors_node_tests_exactly()
    {
        var live = Live();
        var suite = FixtureSuite.Load(Path.Combine(Repository.Fixtures, "onnx"));
        var byTest = suite.Cases.ToDictionary(c => c.Id.Split('/')[1], StringComparer.Ordinal);
        int compared = 0;
        foreach (string folder in ConvTests)
        {
            var (op, attributes, inputs, arrays) = ReadAsTheAuthors(live, folder);
            string name = Path.GetFileName(folder);
            if (op is not ("Conv" or "ConvTranspose"))
            {
                Assert.That(byTest.ContainsKey(name), Is.False, $"{name} is {op}, not imported");
                continue;
            }
            Assert.That(byTest.TryGetValue(name, out var c), Is.True, $"{name} is in fixtures/onnx");
            Assert.That(c!.Call, Is.EqualTo("onnx." + op), name);
            Assert.That(c.Args, Is.EqualTo(inputs), $"{name}: args are the node's input names");
            Assert.That(
                JsonNode.DeepEquals(c.Kwargs, attributes),
                Is.True,
                $"{name}: kwargs {c.Kwargs.ToJsonString()} are the node's attributes {attributes.ToJsonString()}"
            );
            var stored = NpzFile.Read(Path.Combine(suite.Directory, c.File), [.. inputs, c.Expected!]);
            for (int i = 0; i < arrays.Length; i++)
            {
                var array = stored[i < inputs.Length ? inputs[i] : c.Expected!];
                Assert.That(array.DType, Is.EqualTo("float32"), name);
                Assert.That(array.Tensor.Shape, Is.EqualTo(arrays[i].Shape), $"{name}: array {i}");
                Assert.That(
                    Bits(array.Tensor),
                    Is.EqualTo(Bits(arrays[i])),
                    $"{name}: array {i} bit for bit the authors'"
                );
            }
            compared++;
        }
        Assert.That(compared, Is.EqualTo(suite.Cases.Count), "every case of the suite comes from a node test here");
    }

    [Test]
    public void The_importer_writes_the_committed_suite_again()
    {
        var live = Live();
        string folder = Path.Combine(_scratch, "onnx");
        GenerationReport report;
        using (var claimed = SuiteWriter.Claim(folder, force: false))
            report = OnnxNodeTests.Write(live, OnnxNodeTests.DefaultSource, claimed, TextWriter.Null);
        var written = FixtureSuite.Load(folder);
        var committed = FixtureSuite.Load(Path.Combine(Repository.Fixtures, "onnx"));
        Assert.That(written.Cases.Select(Describe), Is.EqualTo(committed.Cases.Select(Describe)));
        Assert.That(
            report.Skipped.Select(s => s.Reason),
            Is.All.Contains("not Conv or ConvTranspose"),
            "only other operators are skipped"
        );
        foreach (var (fresh, stored) in written.Cases.Zip(committed.Cases))
        {
            var names = fresh.Args.Append(fresh.Expected!).ToArray();
            var a = NpzFile.Read(Path.Combine(written.Directory, fresh.File), names);
            var b = NpzFile.Read(Path.Combine(committed.Directory, stored.File), names);
            foreach (string n in names)
                Assert.That(Bits(a[n].Tensor), Is.EqualTo(Bits(b[n].Tensor)), $"{fresh.Id}: {n}");
        }
    }

    [Test]
    public void Node_tests_that_are_something_else_are_skipped_by_name()
    {
        var live = Live();
        string source = Path.Combine(_scratch, "node"),
            outside = Path.Combine(_scratch, "outside");
        Directory.CreateDirectory(source);
        Directory.CreateDirectory(outside);
        Copy(Path.Combine(OnnxNodeTests.DefaultSource, "test_conv_with_strides_padding"), source, "test_conv_ok");
        // A model that is a link out of the source folder.
        string linked = Copy(Path.Combine(OnnxNodeTests.DefaultSource, "test_convtranspose"), source, "test_conv_link");
        File.Move(Path.Combine(linked, "model.onnx"), Path.Combine(outside, "model.onnx"));
        File.CreateSymbolicLink(Path.Combine(linked, "model.onnx"), Path.Combine(outside, "model.onnx"));
        // An integer convolution, and a node test whose output file is missing.
        Copy(Path.Combine(OnnxNodeTests.DefaultSource, "test_convinteger_with_padding"), source, "test_conv_integer");
        string missing = Copy(
            Path.Combine(OnnxNodeTests.DefaultSource, "test_convtranspose_1d"),
            source,
            "test_conv_gap"
        );
        File.Delete(Path.Combine(missing, "test_data_set_0", "output_0.pb"));
        // Not a convolution's name: never looked at.
        Copy(Path.Combine(OnnxNodeTests.DefaultSource, "test_convtranspose_3d"), source, "test_relu");

        var (cases, skipped) = OnnxNodeTests.Read(live, source);
        Assert.That(cases.Select(c => c.Id), Is.EqualTo(new[] { "onnx.Conv/test_conv_ok" }));
        var reasons = skipped.ToDictionary(s => s.Name, s => s.Reason);
        Assert.That(reasons.Keys, Is.EquivalentTo(new[] { "test_conv_link", "test_conv_integer", "test_conv_gap" }));
        Assert.That(reasons["test_conv_link"], Does.Contain("leads outside"));
        Assert.That(reasons["test_conv_integer"], Does.Contain("ConvInteger"));
        Assert.That(reasons["test_conv_gap"], Does.Contain("output_0.pb is missing"));

        string target = Path.Combine(_scratch, "written");
        using (var claimed = SuiteWriter.Claim(target, force: false))
            Assert.That(
                OnnxNodeTests.Write(live, source, claimed, TextWriter.Null).Skipped.Select(s => s.Name),
                Is.EquivalentTo(reasons.Keys)
            );
        Assert.That(FixtureSuite.Load(target).Description, Does.Contain("test_conv_link"));
    }

    [Test]
    public void A_missing_source_is_named()
    {
        var live = Live();
        var error = Assert.Throws<GenerationException>(() =>
            OnnxNodeTests.Read(live, Path.Combine(_scratch, "nowhere"))
        );
        Assert.That(error!.Message, Does.Contain("nowhere").And.Contain("libonnx-testdata"));
    }

    private static string Copy(string from, string into, string name)
    {
        string target = Path.Combine(into, name);
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(target, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
        return target;
    }

    private static string Describe(FixtureCase c) =>
        $"{c.Id} {c.File} {c.Call}({string.Join(", ", c.Args)}) {c.Kwargs.ToJsonString()} -> {c.Expected}";

    private static int[] Bits(Tensors.Tensor t) => [.. t.Data.ToArray().Select(BitConverter.SingleToInt32Bits)];
}
