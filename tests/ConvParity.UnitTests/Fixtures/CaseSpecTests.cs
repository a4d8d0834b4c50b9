using System.Text.Json.Nodes;
using ConvParity.Cli;
using ConvParity.Python.Generation;
using ConvParity.Testing;

namespace ConvParity.Tests;

/// <summary>The case spec (docs/case-spec.md): each error names the entry and the key; expansion; stable ids; the
/// recording rules.</summary>
public sealed class CaseSpecTests
{
    private const string Conv = CaseSpecs.Conv;

    private static string Spec(string entry = Conv, string top = "") => CaseSpecs.Spec(entry, top);

    private static CaseSpec Parse(string text) => CaseSpec.Parse(text, "cases.json");

    /// <summary>The conv entry with <paramref name="extra"/> keys added (JSON members, comma-separated).</summary>
    private static string ConvWith(string extra) => Conv.TrimEnd().TrimEnd('}') + ", " + extra + "}";

    [TestCase("[]", "cases.json: the top level is not a JSON object")]
    [TestCase("{", "cases.json: not valid JSON")]
    [TestCase("""{"suite": "mine", "cases": []}""", "cases.json: 'format': missing")]
    [TestCase(
        """{"format": "convparity.spec/9", "suite": "mine", "cases": []}""",
        "cases.json: 'format': is 'convparity.spec/9'"
    )]
    [TestCase("""{"format": "convparity.spec/1", "cases": []}""", "cases.json: 'suite': missing")]
    [TestCase(
        """{"format": "convparity.spec/1", "suite": "../up", "cases": []}""",
        "cases.json: 'suite': '../up' is not a name"
    )]
    [TestCase(
        """{"format": "convparity.spec/1", "suite": "mine", "cases": []}""",
        "cases.json: 'cases': missing, or not a non-empty list"
    )]
    [TestCase(
        """{"format": "convparity.spec/1", "suite": "mine", "cases": [1]}""",
        "cases.json: cases[0]: not a JSON object"
    )]
    [TestCase(
        """{"format": "convparity.spec/1", "suite": "mine", "sead": 1, "cases": [{}]}""",
        "cases.json: 'sead': is not a key"
    )]
    [TestCase(
        """{"format": "convparity.spec/1", "suite": "mine", "seed": 1.5, "cases": [{}]}""",
        "cases.json: 'seed': not a whole number"
    )]
    [TestCase(
        """{"format": "convparity.spec/1", "suite": "mine", "count": 0, "cases": [{}]}""",
        "cases.json: 'count': not a whole number from 1"
    )]
    [TestCase(
        """{"format": "convparity.spec/1", "suite": "mine", "dtype": "float16", "cases": [{}]}""",
        "cases.json: 'dtype': 'float16' is neither"
    )]
    public void A_bad_top_level_is_named_by_its_key(string text, string message) =>
        Assert.That(Assert.Throws<CaseSpecException>(() => Parse(text))!.Message, Does.StartWith(message));

    [TestCase("""{"call": "numpy.convolve"}""", "cases[0] 'name': missing")]
    [TestCase("""{"name": "a b"}""", "cases[0] 'name': 'a b' is not a name")]
    [TestCase("""{"name": "x"}""", "cases[0] ('x') 'call': missing")]
    [TestCase(
        """{"name": "x", "call": "os.system", "args": [{"name": "a", "shape": [1]}]}""",
        "cases[0] ('x') 'call': "
    )]
    [TestCase(
        """{"name": "x", "call": "numpy.convolve", "args": [{"name": "a", "shape": [3]}]}""",
        "cases[0] ('x') 'call': "
    )]
    [TestCase("""{"name": "x", "call": "numpy.convolve"}""", "cases[0] ('x') 'args': missing")]
    [TestCase(
        """{"name": "x", "call": "numpy.convolve", "args": [3]}""",
        "cases[0] ('x') 'args[0]': not a JSON object"
    )]
    [TestCase(
        """{"name": "x", "call": "numpy.convolve", "args": [{"shape": [3]}]}""",
        "cases[0] ('x') 'args[0].name': missing"
    )]
    [TestCase(
        """{"name": "x", "call": "numpy.convolve", "args": [{"name": "expected", "shape": [3]}]}""",
        "'args[0].name': 'expected' is not"
    )]
    [TestCase(
        """{"name": "x", "call": "numpy.convolve", "args": [{"name": "a", "shape": [3]}, """
            + """{"name": "a", "shape": [3]}]}""",
        "cases[0] ('x') 'args[1].name': 'a' names two arrays"
    )]
    [TestCase(
        """{"name": "x", "call": "numpy.convolve", "args": [{"name": "a", "shape": []}]}""",
        "'args[0].shape': missing, or not a list"
    )]
    [TestCase(
        """{"name": "x", "call": "numpy.convolve", "args": [{"name": "a", "shape": [0]}]}""",
        "'args[0].shape[0]': not a whole number"
    )]
    [TestCase(
        """{"name": "x", "call": "numpy.convolve", "args": [{"name": "a", "shape": [5000, 5000]}]}""",
        "'args[0].shape': holds more than"
    )]
    [TestCase(
        """{"name": "x", "call": "numpy.convolve", "args": [{"name": "a", "shape": [3], "dtype": "x"}]}""",
        "'args[0].dtype': is not a key"
    )]
    public void A_bad_entry_is_named_by_its_index_name_and_key(string entry, string message) =>
        Assert.That(Assert.Throws<CaseSpecException>(() => Parse(Spec(entry)))!.Message, Does.Contain(message));

    [TestCase("\"kwargs\": [1]", "'kwargs': not a JSON object")]
    [TestCase("\"grid\": [1]", "'grid': not a JSON object")]
    [TestCase("\"grid\": {\"mode\": \"same\"}", "'grid.mode': not a non-empty list")]
    [TestCase("\"grid\": {\"mode\": []}", "'grid.mode': not a non-empty list")]
    [TestCase("\"grid\": {\"mode\": [\"same\"]}, \"kwargs\": {\"mode\": \"full\"}", "'grid.mode': is also in kwargs")]
    [TestCase("\"grid\": {\"mode\": [\"a\\u0007\"]}", "'grid': a value holds a control character")]
    [TestCase("\"count\": 101", "'count': not a whole number from 1 to 100")]
    [TestCase("\"values\": \"gaussian\"", "'values': 'gaussian' is not a value kind")]
    [TestCase("\"values\": \"uniform\"", "'values': 'uniform' needs parameters")]
    [TestCase("\"values\": 3", "'values': neither a kind's name nor an object")]
    [TestCase("\"values\": {\"low\": 1}", "'values.kind': missing")]
    [TestCase("\"values\": {\"kind\": \"uniform\", \"low\": 1}", "'values.high': missing, or not a number")]
    [TestCase("\"values\": {\"kind\": \"uniform\", \"low\": 1, \"high\": 1}", "'values.high': 1 is not above low (1)")]
    [TestCase("\"values\": {\"kind\": \"uniform\", \"low\": 0, \"high\": 1e31}", "'values.high': must lie within")]
    [TestCase(
        "\"values\": {\"kind\": \"integers\", \"low\": 0.5, \"high\": 3}",
        "'values': integers need whole low and high"
    )]
    [TestCase("\"values\": {\"kind\": \"nonfinite\", \"fraction\": 0}", "'values.fraction': must lie in (0, 1]")]
    [TestCase("\"values\": {\"kind\": \"normal\", \"low\": 0}", "'values.low': is not a key")]
    [TestCase("\"grid\": {\"mode\": [\"full\", \"same\"]}, \"count\": 100, \"seed\": 1, \"name\": \"conv\"", "")]
    public void A_bad_key_of_an_entry_is_named(string extra, string message)
    {
        if (message.Length == 0)
        {
            // A duplicate key in JSON is refused by the parser: the error still names the file.
            Assert.That(
                Assert.Throws<CaseSpecException>(() => Parse(Spec(ConvWith(extra))))!.Message,
                Does.StartWith("cases.json: not valid JSON")
            );
            return;
        }
        Assert.That(
            Assert.Throws<CaseSpecException>(() => Parse(Spec(ConvWith(extra))))!.Message,
            Does.StartWith("cases.json: cases[0] ('conv') " + message)
        );
    }

    [Test]
    public void Two_entries_of_one_name_and_a_spec_larger_than_a_suite_are_refused()
    {
        Assert.That(
            Assert.Throws<CaseSpecException>(() => Parse(Spec(Conv + ", " + Conv)))!.Message,
            Does.StartWith("cases.json: cases[1] ('conv') 'name': is used by an earlier entry")
        );
        string big = ConvWith(
            "\"count\": 100, \"grid\": {\"boundary\": [\"fill\", \"wrap\", \"symm\"], \"mode\": "
                + "[\"full\", \"same\", \"valid\"], \"fillvalue\": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]}"
        );
        Assert.That(
            Assert.Throws<CaseSpecException>(() => Parse(Spec(big)))!.Message,
            Does.StartWith("cases.json: cases[0] ('conv') 'grid': expands to more than 10000 cases")
        );
    }

    [Test]
    public void A_missing_or_oversized_spec_file_is_named()
    {
        string dir = Directory.CreateTempSubdirectory("convparity-spec-").FullName;
        try
        {
            string path = Path.Combine(dir, "cases.json");
            Assert.That(
                Assert.Throws<CaseSpecException>(() => CaseSpec.Load(path))!.Message,
                Is.EqualTo($"{path}: no such file")
            );
            File.WriteAllText(path, new string(' ', (int)CaseSpec.MaxBytes + 1));
            Assert.That(
                Assert.Throws<CaseSpecException>(() => CaseSpec.Load(path))!.Message,
                Does.Contain("a spec may hold at most")
            );
            Assert.That(
                Assert.Throws<CaseSpecException>(() => CaseSpec.Load(dir))!.Message,
                Does.Contain("is a folder")
            );
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void The_grid_expands_to_every_combination_and_fixed_kwargs_keep_their_lists()
    {
        var spec = Parse(
            Spec(
                """
                {"name": "t", "call": "theano.tensor.nnet.conv2d",
                 "args": [{"name": "input", "shape": [1, 2, 6, 6]}, {"name": "filters", "shape": [3, 2, 3, 3]}],
                 "kwargs": {"subsample": [1, 1]},
                 "grid": {"border_mode": ["valid", "full", [1, 2]], "filter_dilation": [[1, 1], [2, 2]]}, "count": 2}
                """
            )
        );
        Assert.That(spec.Cases, Has.Count.EqualTo(3 * 2 * 2));
        Assert.That(
            spec.Cases.Select(c => c.Id).Take(5),
            Is.EqualTo(
                new[]
                {
                    "t/border_mode=valid,filter_dilation=[1,1]/0",
                    "t/border_mode=valid,filter_dilation=[1,1]/1",
                    "t/border_mode=valid,filter_dilation=[2,2]/0",
                    "t/border_mode=valid,filter_dilation=[2,2]/1",
                    "t/border_mode=full,filter_dilation=[1,1]/0",
                }
            )
        );
        var last = spec.Cases[^1];
        Assert.That(
            last.Kwargs.ToJsonString(),
            Is.EqualTo("""{"subsample":[1,1],"border_mode":[1,2],"filter_dilation":[2,2]}""")
        );
        Assert.That(
            spec.Cases.Select(c => c.File).Distinct().Count(),
            Is.EqualTo(spec.Cases.Count),
            "each case has its own file"
        );
        Assert.That(
            spec.Cases.All(c => c.Seed == 1 && c.DType == "float32" && c.Values.Kind == "normal"),
            "the defaults"
        );
    }

    [Test]
    public void Ids_files_and_values_do_not_depend_on_the_entry_position_and_change_with_the_entry()
    {
        string other =
            """{"name": "np", "call": "numpy.convolve", "args": [{"name": "a", "shape": [7]}, """
            + """{"name": "v", "shape": [3]}]}""";
        var alone = Parse(Spec(Conv)).Cases.Single();
        var second = Parse(Spec(other + ", " + Conv)).Cases.Single(c => c.Entry == "conv");
        Assert.That((second.Id, second.File), Is.EqualTo((alone.Id, alone.File)));
        Assert.That(second.DrawCall().Args[0].Data.ToArray(), Is.EqualTo(alone.DrawCall().Args[0].Data.ToArray()));

        var reseeded = Parse(Spec(ConvWith("\"seed\": 2"))).Cases.Single();
        Assert.That(reseeded.Id, Is.EqualTo(alone.Id));
        Assert.That(reseeded.File, Is.Not.EqualTo(alone.File), "another seed is another case");
        Assert.That(
            reseeded.DrawCall().Args[0].Data.ToArray(),
            Is.Not.EqualTo(alone.DrawCall().Args[0].Data.ToArray())
        );
        var reshaped = Parse(Spec(Conv.Replace("[6, 5]", "[6, 6]", StringComparison.Ordinal))).Cases.Single();
        Assert.That(reshaped.File, Is.Not.EqualTo(alone.File), "another shape is another case");
    }

    [Test]
    public void Each_value_kind_draws_what_it_says()
    {
        float[] Draw(string values, string dtype = "float32") =>
            Parse(
                Spec(
                    ConvWith($"\"values\": {values}, \"dtype\": \"{dtype}\"")
                        .Replace("[6, 5]", "[40, 50]", StringComparison.Ordinal)
                )
            )
                .Cases.Single()
                .DrawCall()
                .Args[0]
                .Data.ToArray();
        var uniform = Draw("""{"kind": "uniform", "low": 2, "high": 3}""");
        Assert.That(uniform, Is.All.InRange(2f, 3f));
        var integers = Draw("""{"kind": "integers", "low": -2, "high": 2}""");
        Assert.That(integers.Distinct().Order(), Is.EqualTo(new[] { -2f, -1f, 0f, 1f, 2f }));
        var nonfinite = Draw("""{"kind": "nonfinite", "fraction": 0.1}""");
        Assert.That(nonfinite.Count(float.IsNaN), Is.InRange(1, 400));
        Assert.That(nonfinite.Count(float.IsPositiveInfinity), Is.InRange(1, 400));
        Assert.That(nonfinite.Count(float.IsNegativeInfinity), Is.InRange(1, 400));
        var wide = Draw("\"wide\"").Select(Math.Abs).ToArray();
        Assert.That(wide.Max() / wide.Min(), Is.GreaterThan(1e18f), "very large next to very small");
        Assert.That(wide.All(float.IsFinite));
        var normal = Draw("\"normal\"");
        Assert.That(normal.Average(), Is.InRange(-0.15, 0.15));

        var call64 = Parse(Spec(ConvWith("\"dtype\": \"float64\""))).Cases.Single().DrawCall();
        Assert.That(call64.Float64Args, Is.Not.Null);
        Assert.That(
            call64.Float64Args![0].Select(v => (float)v),
            Is.EqualTo(call64.Args[0].Data.ToArray()),
            "float32 view of the float64 arrays"
        );
        Assert.That(call64.Float64Args[0].Any(v => v != (float)v), "the float64 values carry more than float32 holds");
        Assert.That(Parse(Spec(Conv)).Cases.Single().DrawCall().Float64Args, Is.Null);
    }

    [TestCase(null, null, false)]
    [TestCase("", "false", false)]
    [TestCase("auto", "0", false)]
    [TestCase(null, "true", true)]
    [TestCase(null, "1", true)]
    [TestCase("never", null, true)]
    [TestCase("always", null, true)]
    public void Recording_is_refused_on_ci_and_with_never(string? record, string? ci, bool refused)
    {
        string? Env(string name) =>
            name switch
            {
                ParityCases.RecordVariable => record,
                "CI" => ci,
                _ => null,
            };
        string? reason = ParityCases.RecordingRefusal(Env);
        Assert.That(reason is not null, Is.EqualTo(refused), reason);
        if (ci == "true")
            Assert.That(reason, Does.Contain("CI is set"));
        if (record is "never" or "always")
            Assert.That(reason, Does.Contain($"{ParityCases.RecordVariable}"));
    }

    [Test]
    public void Without_recording_a_case_the_suite_lacks_fails_with_the_reason_and_nothing_is_written()
    {
        string dir = Directory.CreateTempSubdirectory("convparity-spec-").FullName;
        try
        {
            string spec = Path.Combine(dir, "cases.json");
            File.WriteAllText(spec, Spec());
            var progress = new StringWriter();
            var data = ParityCases
                .RecordedWith("recorded", spec, name => name == "CI" ? "true" : null, progress)
                .ToList();
            var parityCase = (ParityCase)data.Single().Arguments[0]!;
            Assert.That(parityCase.NotRecorded, Does.Contain("not recorded in").And.Contain("CI is set"));
            var error = Assert.Throws<InvalidOperationException>(() =>
                ParityAssert.Matches(new Engines.ReferenceEngine(), parityCase)
            );
            Assert.That(error!.Message, Does.StartWith("case conv/0: not recorded in"));
            Assert.That(Directory.Exists(Path.Combine(dir, "recorded")), Is.False, "a CI run writes nothing");
            Assert.That(progress.ToString(), Is.Empty);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase(new[] { "--spec", "s.json" }, "--spec goes with --out DIR or --update DIR")]
    [TestCase(new[] { "--update", "d" }, "--update goes with --spec")]
    [TestCase(new[] { "--spec", "s.json", "--suite", "numpy", "--out", "d" }, "give --suite or --spec, not both")]
    [TestCase(new[] { "--spec", "s.json", "--out", "d", "--update", "d" }, "give --out (write anew) or --update")]
    [TestCase(new[] { "--spec", "s.json", "--out", "d", "--seed", "3" }, "--seed is for --suite")]
    [TestCase(new[] { "--spec", "s.json", "--update", "d", "--force" }, "--force is for --out")]
    public void Generate_refuses_spec_options_that_do_not_go_together(string[] args, string message)
    {
        var (code, _, errors) = CommandRunner.Run(["generate", .. args]);
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain(message));
    }

    [Test]
    public void Generate_names_a_bad_spec_before_starting_python_and_writes_nothing()
    {
        string dir = Directory.CreateTempSubdirectory("convparity-spec-").FullName;
        try
        {
            string spec = Path.Combine(dir, "cases.json");
            File.WriteAllText(spec, Spec(ConvWith("\"count\": \"two\"")));
            var (code, _, errors) = CommandRunner.Run("generate", "--spec", spec, "--out", Path.Combine(dir, "out"));
            Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
            Assert.That(errors, Does.Contain($"bad spec: {spec}: cases[0] ('conv') 'count': not a whole number"));
            Assert.That(Directory.GetFileSystemEntries(dir), Is.EqualTo(new[] { spec }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void Update_refuses_a_suite_that_was_not_written_from_a_spec()
    {
        using var suite = new TempSuite("numpy");
        string dir = Directory.CreateTempSubdirectory("convparity-spec-").FullName;
        try
        {
            string spec = Path.Combine(dir, "cases.json");
            File.WriteAllText(spec, Spec());
            var before = Directory.GetFiles(suite.Folder).Select(File.ReadAllBytes).ToList();
            var (code, _, errors) = CommandRunner.Run("generate", "--spec", spec, "--update", suite.Folder);
            Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
            Assert.That(errors, Does.Contain("it was not written from a spec"));
            Assert.That(Directory.GetFiles(suite.Folder).Select(File.ReadAllBytes), Is.EqualTo(before));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void The_documented_example_and_the_sample_spec_parse()
    {
        string doc = File.ReadAllText(Path.Combine(Repository.Root, "docs", "case-spec.md"));
        int start = doc.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var example = Parse(doc[start..doc.IndexOf("```", start, StringComparison.Ordinal)]);
        Assert.That(example.Cases, Has.Count.EqualTo(1 + 3 * 2 * 2));
        Assert.That(example.Cases.Select(c => c.Id), Does.Contain("blocks/border_mode=half,filter_dilation=[2,2]/1"));
        var sample = CaseSpec.Load(Path.Combine(Repository.Root, "samples", "MyConvolution.Tests", "cases.json"));
        Assert.That(sample.Cases, Has.Count.EqualTo(10));
    }

    [Test]
    public void A_kwarg_given_as_json_keeps_its_type()
    {
        var c = Parse(
            Spec(ConvWith("\"kwargs\": {\"fillvalue\": 1.5, \"boundary\": \"fill\"}, \"grid\": {\"mode\": [\"same\"]}"))
        )
            .Cases.Single();
        Assert.That(c.Kwargs.ToJsonString(), Is.EqualTo("""{"fillvalue":1.5,"boundary":"fill","mode":"same"}"""));
        Assert.That(c.Note, Is.EqualTo("spec entry 'conv', draw 0; float32, values: normal; seed 1"));
        Assert.That(JsonNode.DeepEquals(c.DrawCall().Kwargs, c.Kwargs));
    }
}
