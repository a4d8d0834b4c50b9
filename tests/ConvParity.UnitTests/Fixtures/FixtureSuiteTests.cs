using System.Text.Json.Nodes;
using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>
/// manifest.json read without trusting it: every field read as written, every malformed field refused naming the
/// manifest, the case and the key, the limits exactly at and one past; the folder itself and where a case's file
/// leads.
/// </summary>
public sealed class FixtureSuiteTests
{
    private string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("convparity-suite-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private string ManifestPath => Path.Combine(_scratch, "manifest.json");

    private static JsonObject Case(string id = "c") =>
        new()
        {
            ["id"] = id,
            ["file"] = "0001.npz",
            ["call"] = "numpy.convolve",
            ["args"] = new JsonArray("a", "v"),
            ["expected"] = "out",
        };

    private FixtureSuite Load(JsonNode manifest, long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes)
    {
        File.WriteAllText(ManifestPath, manifest.ToJsonString());
        return FixtureSuite.Load(_scratch, maxCaseBytes);
    }

    private static JsonObject Manifest(params JsonObject[] cases) =>
        new()
        {
            ["format"] = "convparity.fixtures/1",
            ["suite"] = "mine",
            ["cases"] = new JsonArray([.. cases]),
        };

    /// <summary>The refusal of <paramref name="manifest"/>: the text after "manifest.json".</summary>
    private string Refusal(JsonNode manifest) => RefusalOf(manifest.ToJsonString());

    private string RefusalOf(string text)
    {
        File.WriteAllText(ManifestPath, text);
        var e = Assert.Throws<FixtureException>(() => FixtureSuite.Load(_scratch))!;
        Assert.That(e.Message, Does.StartWith(ManifestPath));
        return e.Message[ManifestPath.Length..];
    }

    [Test]
    public void Every_field_is_read_as_written()
    {
        var answered = Case("first");
        answered["kwargs"] = new JsonObject { ["mode"] = "full" };
        answered["note"] = "a note";
        var refused = Case("second");
        refused.Remove("expected");
        refused["raises"] = new JsonObject { ["type"] = "ValueError", ["message"] = "" };
        refused["file"] = "sub/0002.npz";
        var manifest = Manifest(answered, refused);
        manifest["description"] = "what it is";
        manifest["environment"] = new JsonObject { ["numpy"] = "1.24.2" };

        var suite = Load(manifest, maxCaseBytes: 1);

        Assert.That(suite.Directory, Is.EqualTo(Path.GetFullPath(_scratch)));
        Assert.That(suite.Name, Is.EqualTo("mine"));
        Assert.That(suite.Description, Is.EqualTo("what it is"));
        Assert.That(suite.Environment.ToJsonString(), Is.EqualTo("""{"numpy":"1.24.2"}"""));
        Assert.That(suite.MaxCaseBytes, Is.EqualTo(1));
        var (first, second) = (suite.Cases[0], suite.Cases[1]);
        Assert.That(suite.Cases, Has.Count.EqualTo(2));
        Assert.That(
            (first.Id, first.File, first.Call, first.Expected, first.Note, first.Raises),
            Is.EqualTo(("first", "0001.npz", "numpy.convolve", "out", "a note", (FixtureRaises?)null))
        );
        Assert.That(first.Args, Is.EqualTo(new[] { "a", "v" }));
        Assert.That(first.Kwargs.ToJsonString(), Is.EqualTo("""{"mode":"full"}"""));
        Assert.That(
            (second.Id, second.File, second.Expected, second.Note),
            Is.EqualTo(("second", "sub/0002.npz", (string?)null, (string?)null))
        );
        Assert.That(second.Raises, Is.EqualTo(new FixtureRaises("ValueError", "")));
        Assert.That(second.Kwargs.Count, Is.Zero, "no kwargs: none");
    }

    [Test]
    public void Without_description_or_environment_the_suite_has_none()
    {
        var suite = Load(Manifest(Case()));
        Assert.That(suite.Description, Is.Null);
        Assert.That(suite.Environment.Count, Is.Zero);
        Assert.That(suite.MaxCaseBytes, Is.EqualTo(CaseLimits.DefaultMaxCaseBytes));
    }

    [Test]
    public void The_suite_keeps_its_own_copies_of_the_manifest_objects()
    {
        var suite = Load(Manifest(Case()));
        suite.Cases[0].Kwargs["mode"] = "same";
        suite.Environment["x"] = 1;
        Assert.That(JsonNode.Parse(File.ReadAllText(ManifestPath))!.ToJsonString(), Does.Not.Contain("same"));
    }

    [TestCase("[]", ": the top level is not a JSON object")]
    [TestCase("3", ": the top level is not a JSON object")]
    [TestCase("{", ": not valid JSON: ")]
    [TestCase("""{"suite": "s", "cases": []}""", ": 'format' is missing or not a non-empty string")]
    [TestCase(
        """{"format": "convparity.fixtures/2"}""",
        ": format is 'convparity.fixtures/2'; this checker reads 'convparity.fixtures/1'"
    )]
    [TestCase("""{"format": "convparity.fixtures/1", "cases": []}""", ": 'suite' is missing or not a non-empty string")]
    [TestCase(
        """{"format": "convparity.fixtures/1", "suite": 3, "cases": []}""",
        ": 'suite' is missing or not a non-empty string"
    )]
    [TestCase(
        """{"format": "convparity.fixtures/1", "suite": "", "cases": []}""",
        ": 'suite' is missing or not a non-empty string"
    )]
    [TestCase(
        """{"format": "convparity.fixtures/1", "suite": null, "cases": []}""",
        ": 'suite' is missing or not a non-empty string"
    )]
    [TestCase(
        """{"format": "convparity.fixtures/1", "suite": "a\tb", "cases": []}""",
        ": 'suite' holds control characters (a NUL, an escape, a line break)"
    )]
    [TestCase(
        """{"format": "convparity.fixtures/1", "suite": "s", "cases": {}}""",
        ": 'cases' is missing or not a list"
    )]
    [TestCase("""{"format": "convparity.fixtures/1", "suite": "s", "cases": [3]}""", " case 0: not a JSON object")]
    public void A_malformed_top_level_is_refused_naming_the_key(string text, string message) =>
        Assert.That(RefusalOf(text), Does.StartWith(message));

    [TestCase("id", null, " case 1: 'id' is missing or not a non-empty string")]
    [TestCase("args", null, " case 'x': 'args' is missing or not a list of array names")]
    [TestCase("args", "[\"a\", 1]", " case 'x': 'args' is missing or not a list of array names")]
    [TestCase("args", "[\"a\", null]", " case 'x': 'args' is missing or not a list of array names")]
    [TestCase("args", "\"a\"", " case 'x': 'args' is missing or not a list of array names")]
    [TestCase("kwargs", "[]", " case 'x': 'kwargs' is not a JSON object")]
    [TestCase("file", null, " case 'x': 'file' is missing or not a non-empty string")]
    [TestCase("file", "\"/tmp/x.npz\"", " case 'x': file '/tmp/x.npz' must lie inside the suite folder")]
    [TestCase("file", "\"a/../../x.npz\"", " case 'x': file 'a/../../x.npz' must lie inside the suite folder")]
    [TestCase("file", "\"a\\\\..\\\\x.npz\"", " case 'x': file 'a\\..\\x.npz' must lie inside the suite folder")]
    [TestCase("call", "\"\"", " case 'x': 'call' is missing or not a non-empty string")]
    [TestCase("expected", "3", " case 'x': 'expected' is missing or not a non-empty string")]
    [TestCase("expected", null, " case 'x': it has neither 'expected' nor 'raises'")]
    [TestCase(
        "raises",
        "{\"type\": \"E\", \"message\": \"m\"}",
        " case 'x': it has both 'expected' and 'raises'; a case holds the library's answer or its refusal, not both"
    )]
    public void A_malformed_case_is_refused_naming_it_and_the_key(string key, string? json, string message)
    {
        var second = Case("x");
        if (json is null)
            second.Remove(key);
        else
            second[key] = JsonNode.Parse(json);
        Assert.That(Refusal(Manifest(Case("ok"), second)), Is.EqualTo(message));
    }

    [TestCase("[]", " case 'x': 'raises' is not a JSON object with 'type' and 'message'")]
    [TestCase("{\"message\": \"m\"}", " case 'x' raises: 'type' is missing or not a non-empty string")]
    [TestCase("{\"type\": \"E\"}", " case 'x' raises: 'message' is missing or not a string")]
    [TestCase("{\"type\": \"E\", \"message\": 3}", " case 'x' raises: 'message' is missing or not a string")]
    [TestCase("{\"type\": \"E\", \"message\": null}", " case 'x' raises: 'message' is missing or not a string")]
    public void A_malformed_refusal_is_refused_naming_its_key(string raises, string message)
    {
        var refused = Case("x");
        refused.Remove("expected");
        refused["raises"] = JsonNode.Parse(raises);
        Assert.That(Refusal(Manifest(refused)), Is.EqualTo(message));
    }

    [Test]
    public void Ten_thousand_cases_are_read()
    {
        var suite = Load(Manifest([.. Enumerable.Range(0, FixtureSuite.MaxCases).Select(i => Case($"c{i}"))]));
        Assert.That(suite.Cases, Has.Count.EqualTo(10_000));
    }

    [Test]
    public void A_manifest_of_16_MiB_is_read_and_a_longer_one_refused_by_size()
    {
        string text = Manifest(Case()).ToJsonString();
        File.WriteAllText(ManifestPath, text.PadRight((int)FixtureSuite.MaxManifestBytes));
        Assert.That(FixtureSuite.Load(_scratch).Cases, Has.Count.EqualTo(1));
        Assert.That(
            RefusalOf(text.PadRight((int)FixtureSuite.MaxManifestBytes + 1)),
            Is.EqualTo(": 16777217 bytes; a manifest may hold at most 16777216")
        );
    }

    [Test]
    public void An_empty_manifest_is_refused()
    {
        Assert.That(RefusalOf(""), Is.EqualTo(": empty, or not a regular file (a pipe or a device)"));
        Assert.That(RefusalOf(" "), Does.StartWith(": not valid JSON: "), "one byte is read");
    }

    [Test]
    public void The_folder_must_exist_be_a_folder_and_hold_a_manifest()
    {
        string file = Path.Combine(_scratch, "file");
        File.WriteAllText(file, "");
        string none = Path.Combine(_scratch, "none");
        Assert.That(
            () => FixtureSuite.Load(file),
            Throws.TypeOf<FixtureException>().With.Message.EqualTo($"{file}: is a file, not a suite folder")
        );
        Assert.That(
            () => FixtureSuite.Load(none),
            Throws.TypeOf<FixtureException>().With.Message.EqualTo($"{none}: no such folder")
        );
        Assert.That(
            () => FixtureSuite.Load(_scratch),
            Throws
                .TypeOf<FixtureException>()
                .With.Message.EqualTo($"{ManifestPath}: missing: a suite folder holds manifest.json")
        );
        Assert.That(
            () => FixtureSuite.Load(null!),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("directory")
        );
        Assert.That(() => FixtureSuite.Load(_scratch, 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        File.WriteAllText(ManifestPath, Manifest(Case()).ToJsonString());
        Assert.That(FixtureSuite.Load(_scratch, 1).MaxCaseBytes, Is.EqualTo(1));
    }

    [Test]
    public void A_case_file_resolves_inside_the_suite_and_never_to_the_suite_itself()
    {
        var suite = Load(Manifest(Case()));
        var inside = suite.Cases[0] with { File = "sub/../0001.npz" };
        Assert.That(suite.PathOf(inside), Is.EqualTo(Path.Combine(RealPath.Resolve(_scratch), "0001.npz")));
        var itself = suite.Cases[0] with { File = "sub/.." };
        Assert.That(
            () => suite.PathOf(itself),
            Throws
                .TypeOf<FixtureException>()
                .With.Message.EqualTo(
                    Path.Combine(_scratch, "sub/..") + ": names the suite folder itself, not a file in it"
                )
        );
        Assert.That(() => suite.PathOf(null!), Throws.ArgumentNullException);
    }

    [Test]
    public void A_case_file_leading_outside_through_a_link_is_refused_naming_both_folders()
    {
        string outside = Directory.CreateTempSubdirectory("convparity-outside-").FullName;
        try
        {
            string suiteFolder = Path.Combine(_scratch, "suite");
            Directory.CreateDirectory(suiteFolder);
            Directory.CreateSymbolicLink(Path.Combine(suiteFolder, "sub"), outside);
            File.WriteAllText(Path.Combine(suiteFolder, "manifest.json"), Manifest(Case()).ToJsonString());
            var suite = FixtureSuite.Load(suiteFolder);
            var linked = suite.Cases[0] with { File = "sub/0001.npz" };
            string resolved = Path.Combine(RealPath.Resolve(outside), "0001.npz");
            Assert.That(
                () => suite.PathOf(linked),
                Throws
                    .TypeOf<FixtureException>()
                    .With.Message.EqualTo(
                        Path.Combine(suiteFolder, "sub/0001.npz")
                            + $": leads through a symbolic link to {resolved}, outside the suite folder "
                            + RealPath.Resolve(suiteFolder)
                    )
            );
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }
}
