using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvParity.Fixtures;

/// <summary>One case of a suite: what the library was asked and the name of its answer.</summary>
/// <param name="Id">Unique within the suite, stable across regenerations.</param>
/// <param name="File">The .npz holding the case's arrays, relative to the suite folder.</param>
/// <param name="Call">The fully qualified library function.</param>
/// <param name="Args">Names of the positional array arguments in the .npz.</param>
/// <param name="Kwargs">Every other argument, in the library's vocabulary.</param>
/// <param name="Expected">Name of the array holding the library's answer.</param>
/// <param name="Note">Free text.</param>
public sealed record FixtureCase(string Id, string File, string Call, IReadOnlyList<string> Args, JsonObject Kwargs, string Expected, string? Note);

/// <summary>A fixture suite in the <c>convparity.fixtures/1</c> format (docs/fixtures.md): a folder with manifest.json and .npz files.</summary>
public sealed class FixtureSuite
{
    /// <summary>The format string every manifest carries.</summary>
    public const string Format = "convparity.fixtures/1";

    private FixtureSuite(string directory, string name, string? description, JsonObject environment, IReadOnlyList<FixtureCase> cases)
    {
        Directory = directory;
        Name = name;
        Description = description;
        Environment = environment;
        Cases = cases;
    }

    /// <summary>The suite folder.</summary>
    public string Directory { get; }
    /// <summary>The suite's name from the manifest.</summary>
    public string Name { get; }
    /// <summary>Free text from the manifest.</summary>
    public string? Description { get; }
    /// <summary>Library versions and machine of the run that produced the suite.</summary>
    public JsonObject Environment { get; }
    /// <summary>The cases, in manifest order.</summary>
    public IReadOnlyList<FixtureCase> Cases { get; }

    /// <summary>The path of a case's .npz.</summary>
    public string PathOf(FixtureCase fixtureCase) => Path.Combine(Directory, (fixtureCase ?? throw new ArgumentNullException(nameof(fixtureCase))).File);

    /// <summary>Reads and validates <c>manifest.json</c> in <paramref name="directory"/>. The .npz files are read per case, later.</summary>
    /// <exception cref="FixtureException">The folder or manifest is missing or malformed; the message names the file and the reason.</exception>
    public static FixtureSuite Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string manifestPath = Path.Combine(directory, "manifest.json");
        if (!System.IO.Directory.Exists(directory)) throw new FixtureException(directory, "no such folder");
        if (!File.Exists(manifestPath)) throw new FixtureException(manifestPath, "missing: a suite folder holds manifest.json");

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject ?? throw new FixtureException(manifestPath, "the top level is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FixtureException(manifestPath, $"not valid JSON: {e.Message}");
        }

        string format = Text(root, "format", manifestPath);
        if (format != Format) throw new FixtureException(manifestPath, $"format is '{format}'; this checker reads '{Format}'");
        string name = Text(root, "suite", manifestPath);
        if (root["cases"] is not JsonArray caseNodes) throw new FixtureException(manifestPath, "'cases' is missing or not a list");

        var cases = new List<FixtureCase>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < caseNodes.Count; i++)
        {
            string where = $"{manifestPath} case {i}";
            if (caseNodes[i] is not JsonObject node) throw new FixtureException(where, "not a JSON object");
            string id = Text(node, "id", where);
            where = $"{manifestPath} case '{id}'";
            if (!ids.Add(id)) throw new FixtureException(where, "the id is used twice");
            if (node["args"] is not JsonArray args || args.Any(a => a?.GetValueKind() != JsonValueKind.String))
                throw new FixtureException(where, "'args' is missing or not a list of array names");
            var kwargs = node["kwargs"] switch
            {
                null => new JsonObject(),
                JsonObject o => (JsonObject)o.DeepClone(),
                _ => throw new FixtureException(where, "'kwargs' is not a JSON object"),
            };
            string file = Text(node, "file", where);
            if (Path.IsPathRooted(file) || file.Split('/', '\\').Contains(".."))
                throw new FixtureException(where, $"file '{file}' must lie inside the suite folder");
            cases.Add(new FixtureCase(id, file, Text(node, "call", where), [.. args.Select(a => a!.GetValue<string>())],
                kwargs, Text(node, "expected", where), node["note"]?.ToString()));
        }
        var environment = root["environment"] as JsonObject ?? new JsonObject();
        return new FixtureSuite(Path.GetFullPath(directory), name, root["description"]?.ToString(), (JsonObject)environment.DeepClone(), cases);
    }

    private static string Text(JsonObject node, string key, string where)
    {
        var value = node[key];
        if (value is null || value.GetValueKind() != JsonValueKind.String || string.IsNullOrEmpty(value.GetValue<string>()))
            throw new FixtureException(where, $"'{key}' is missing or not a non-empty string");
        return value.GetValue<string>();
    }
}

/// <summary>A suite, manifest or array file that cannot be read; names the file and the reason.</summary>
public sealed class FixtureException(string path, string reason) : Exception($"{path}: {reason}")
{
    /// <summary>The file or folder at fault.</summary>
    public string Path { get; } = path;
    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}
