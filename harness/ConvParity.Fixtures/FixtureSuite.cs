using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvParity.Fixtures;

/// <summary>A fixture suite in the <c>convparity.fixtures/1</c> format (docs/fixtures.md): a folder with manifest.json
/// and .npz files.</summary>
public sealed class FixtureSuite
{
    /// <summary>The format string every manifest carries.</summary>
    public const string Format = "convparity.fixtures/1";

    /// <summary>The largest manifest.json read: 16 MiB (a thousand cases take well under 1 MiB).</summary>
    public const long MaxManifestBytes = 16L << 20;

    /// <summary>The most cases a suite may hold (the committed suites hold a few hundred; 10000 take about 20 s per
    /// engine set).</summary>
    public const int MaxCases = 10_000;

    private FixtureSuite(
        string directory,
        string name,
        string? description,
        JsonObject environment,
        IReadOnlyList<FixtureCase> cases,
        long maxCaseBytes
    )
    {
        Directory = directory;
        MaxCaseBytes = maxCaseBytes;
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

    /// <summary>The most bytes one case's arrays may take (<see cref="CaseLimits"/>).</summary>
    public long MaxCaseBytes { get; }

    /// <summary>
    /// The path of a case's .npz with every symbolic link resolved; it must lie inside the suite folder
    /// (itself resolved), like the file name in the manifest.
    /// </summary>
    /// <exception cref="FixtureException">The file, or a folder on its way, is a link that leads outside the suite
    /// folder.</exception>
    public string PathOf(FixtureCase fixtureCase)
    {
        ArgumentNullException.ThrowIfNull(fixtureCase);
        string root = RealPath.Resolve(Directory);
        string resolved = RealPath.Resolve(Path.Combine(Directory, fixtureCase.File));
        string path = Path.Combine(Directory, fixtureCase.File);
        if (resolved == root)
            throw new FixtureException(path, "names the suite folder itself, not a file in it");
        if (!RealPath.IsAtOrInside(resolved, root))
            throw new FixtureException(
                path,
                $"leads through a symbolic link to {resolved}, outside the suite folder {root}"
            );
        return resolved;
    }

    /// <summary>
    /// Reads and validates <c>manifest.json</c> in <paramref name="directory"/>. The .npz files are read per case,
    /// later,
    /// each case's arrays limited to <paramref name="maxCaseBytes"/>.
    /// </summary>
    /// <exception cref="FixtureException">The folder or manifest is missing or malformed; the message names the file
    /// and the reason.</exception>
    public static FixtureSuite Load(string directory, long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCaseBytes);
        string manifestPath = Path.Combine(directory, "manifest.json");
        if (File.Exists(directory))
            throw new FixtureException(directory, "is a file, not a suite folder");
        if (!System.IO.Directory.Exists(directory))
            throw new FixtureException(directory, "no such folder");
        if (System.IO.Directory.Exists(manifestPath))
            throw new FixtureException(manifestPath, "is a directory, not a file");
        if (!File.Exists(manifestPath))
            throw new FixtureException(manifestPath, "missing: a suite folder holds manifest.json");

        long size = new FileInfo(manifestPath).Length;
        if (size > MaxManifestBytes)
            throw new FixtureException(manifestPath, $"{size} bytes; a manifest may hold at most {MaxManifestBytes}");
        if (size == 0)
            throw new FixtureException(manifestPath, "empty, or not a regular file (a pipe or a device)");
        JsonObject root;
        try
        {
            root =
                JsonNode.Parse(File.ReadAllText(manifestPath)) as JsonObject
                ?? throw new FixtureException(manifestPath, "the top level is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FixtureException(manifestPath, $"not valid JSON: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FixtureException(manifestPath, $"cannot be read: {e.Message}");
        }

        string format = Text(root, "format", manifestPath);
        if (format != Format)
            throw new FixtureException(manifestPath, $"format is '{format}'; this checker reads '{Format}'");
        string name = Text(root, "suite", manifestPath);
        if (root["cases"] is not JsonArray caseNodes)
            throw new FixtureException(manifestPath, "'cases' is missing or not a list");
        if (caseNodes.Count > MaxCases)
            throw new FixtureException(
                manifestPath,
                $"{caseNodes.Count} cases; a suite may hold at most {MaxCases} (split it into several suites)"
            );

        var cases = new List<FixtureCase>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < caseNodes.Count; i++)
        {
            string where = $"{manifestPath} case {i}";
            if (caseNodes[i] is not JsonObject node)
                throw new FixtureException(where, "not a JSON object");
            string id = Text(node, "id", where);
            where = $"{manifestPath} case '{id}'";
            if (!ids.Add(id))
                throw new FixtureException(where, "the id is used twice");
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
            var (expected, raises) = Outcome(node, where);
            cases.Add(
                new FixtureCase(
                    id,
                    file,
                    Text(node, "call", where),
                    [.. args.Select(a => a!.GetValue<string>())],
                    kwargs,
                    expected,
                    node["note"]?.ToString(),
                    raises
                )
            );
        }
        var environment = root["environment"] as JsonObject ?? new JsonObject();
        return new FixtureSuite(
            Path.GetFullPath(directory),
            name,
            root["description"]?.ToString(),
            (JsonObject)environment.DeepClone(),
            cases,
            maxCaseBytes
        );
    }

    /// <summary>A case holds either "expected" (the answer's array name) or "raises": {"type", "message"}, never
    /// both.</summary>
    private static (string? Expected, FixtureRaises? Raises) Outcome(JsonObject node, string where)
    {
        bool hasExpected = node.ContainsKey("expected"),
            hasRaises = node.ContainsKey("raises");
        if (hasExpected == hasRaises)
            throw new FixtureException(
                where,
                hasExpected
                    ? "it has both 'expected' and 'raises'; a case holds the library's answer or its refusal, not both"
                    : "it has neither 'expected' nor 'raises'"
            );
        if (hasExpected)
            return (Text(node, "expected", where), null);
        if (node["raises"] is not JsonObject raises)
            throw new FixtureException(where, "'raises' is not a JSON object with 'type' and 'message'");
        string type = Text(raises, "type", where + " raises");
        if (raises["message"] is not { } message || message.GetValueKind() != JsonValueKind.String)
            throw new FixtureException(where + " raises", "'message' is missing or not a string");
        return (null, new FixtureRaises(type, message.GetValue<string>()));
    }

    private static string Text(JsonObject node, string key, string where)
    {
        var value = node[key];
        if (
            value is null
            || value.GetValueKind() != JsonValueKind.String
            || string.IsNullOrEmpty(value.GetValue<string>())
        )
            throw new FixtureException(where, $"'{key}' is missing or not a non-empty string");
        string text = value.GetValue<string>();
        if (text.Any(char.IsControl))
            throw new FixtureException(where, $"'{key}' holds control characters (a NUL, an escape, a line break)");
        return text;
    }
}
