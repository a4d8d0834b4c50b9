using System.Text;
using System.Text.Json.Nodes;
using ConvParity.Fixtures;

namespace ConvParity.Python.Generation;

/// <summary>Calls a catalogue's case skipped because its library or module is not importable here, with the reason.</summary>
/// <param name="Call">The call.</param>
/// <param name="Cases">How many cases it had.</param>
/// <param name="Reason">Why it is not available.</param>
public sealed record UnavailableCall(string Call, int Cases, string Reason);

/// <summary>A case of the catalogue the library refused: written as a "raises" case.</summary>
/// <param name="Id">The case id.</param>
/// <param name="Raises">What the library raised.</param>
public sealed record RefusedCase(string Id, FixtureRaises Raises);

/// <summary>What a generator run wrote.</summary>
/// <param name="Directory">The suite folder.</param>
/// <param name="Cases">Cases written (answered and refused).</param>
/// <param name="Unavailable">Calls left out because they cannot be answered here (reported by name, never written).</param>
/// <param name="Refused">The cases the library refused, written with "raises" in place of "expected".</param>
public sealed record GenerationReport(string Directory, int Cases, IReadOnlyList<UnavailableCall> Unavailable, IReadOnlyList<RefusedCase> Refused);

/// <summary>A generator run that cannot go on as asked (the folder exists, the suite's library is missing); the message says why.</summary>
public sealed class GenerationException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Writes a suite in the convparity.fixtures/1 format (docs/fixtures.md): each case answered by the live
/// library and saved by numpy's own savez_compressed, then manifest.json. A call the library refuses
/// (raises) is written as a "raises" case: its arrays, and the exception's type and message. Everything is
/// written to a temporary folder beside the target under a lock and renamed at the end (<see cref="OutputFolder"/>),
/// so a failed run leaves nothing half-written; an existing suite is replaced only when asked to.
/// </summary>
public static class SuiteWriter
{
    /// <summary>The way out named when the target exists.</summary>
    public const string ForceHint = "pass --force to replace it";

    /// <summary>
    /// Claims <paramref name="directory"/> for a suite (<see cref="OutputFolder"/>): an existing one is replaced only
    /// with <paramref name="force"/>.
    /// </summary>
    /// <exception cref="GenerationException">The folder exists without <paramref name="force"/>, a parent is a file, or another run holds it.</exception>
    public static OutputFolder Claim(string directory, bool force)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try { return OutputFolder.Claim(directory, _ => force, ForceHint); }
        catch (OutputFolderException e) { throw new GenerationException(e.Message, e); }
    }

    /// <summary>Generates <paramref name="suite"/> with <paramref name="seed"/> into <paramref name="directory"/>.</summary>
    /// <exception cref="GenerationException">The folder exists and <paramref name="force"/> is false, or the suite's library is not available.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static GenerationReport Generate(LiveReference live, string suite, int seed, string directory, bool force, TextWriter progress) =>
        Generate(live, suite, seed, Catalogue.For(suite, seed), directory, force, progress);

    /// <summary>Writes <paramref name="cases"/> (drawn from <paramref name="suite"/>'s catalogue with <paramref name="seed"/>) into <paramref name="directory"/>.</summary>
    /// <exception cref="GenerationException">The folder exists and <paramref name="force"/> is false, or the suite's library is not available.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static GenerationReport Generate(
        LiveReference live, string suite, int seed, IReadOnlyList<GeneratedCase> cases, string directory, bool force, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(directory);
        using var folder = Claim(directory, force);
        return Generate(live, suite, seed, cases, folder, progress);
    }

    /// <summary>Generates <paramref name="suite"/> with <paramref name="seed"/> into a folder claimed with <see cref="Claim"/>, and commits it.</summary>
    /// <exception cref="GenerationException">The suite's library is not available, or the folder cannot be put in place.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static GenerationReport Generate(LiveReference live, string suite, int seed, OutputFolder folder, TextWriter progress) =>
        Generate(live, suite, seed, Catalogue.For(suite, seed), folder, progress);

    /// <summary>Writes <paramref name="cases"/> into a folder claimed with <see cref="Claim"/>, and commits it.</summary>
    /// <exception cref="GenerationException">The suite's library is not available, or the folder cannot be put in place.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static GenerationReport Generate(
        LiveReference live, string suite, int seed, IReadOnlyList<GeneratedCase> cases, OutputFolder folder, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(folder);
        if (cases.Count == 0) throw new GenerationException($"the {suite} suite cannot be generated: no cases were given.");
        ArgumentNullException.ThrowIfNull(progress);
        string[] libraries = suite == "numpy" ? ["numpy"] : ["numpy", suite];
        JsonObject environment;
        try { environment = live.Environment(libraries); }
        catch (LibraryUnavailableException e) { throw new GenerationException($"the {suite} suite cannot be generated: {e.Reason}", e); }
        environment["generator"] = $"convparity generate --suite {suite} --seed {seed} (docs/fixtures.md)";
        environment["seed"] = seed;
        environment["input_dtype"] = "float32";

        var unavailable = cases.GroupBy(c => c.Call.Call)
            .Select(g => (Call: g.Key, Count: g.Count(), Reason: live.Unavailable(g.Key)))
            .Where(u => u.Reason is not null)
            .Select(u => new UnavailableCall(u.Call, u.Count, u.Reason!))
            .ToList();
        var written = cases.Where(c => unavailable.All(u => u.Call != c.Call.Call)).ToList();
        if (written.Count == 0) throw new GenerationException($"the {suite} suite cannot be generated: no call is available ({unavailable[0].Reason}).");

        var refused = new Dictionary<string, FixtureRaises>(StringComparer.Ordinal);
        for (int i = 0; i < written.Count; i++)
        {
            var c = written[i];
            string file = Path.Combine(folder.Staging, c.File);
            try
            {
                live.Answer(c.Call, file);
            }
            catch (PythonCallException e)
            {
                refused[c.Id] = Refusal.Of(e);
                live.Save(file, c.Call.ArgNames, c.Call.Args);
                progress.WriteLine($"{suite}: {c.Id} refused by the library: {refused[c.Id]}");
            }
            if ((i + 1) % 50 == 0 || i + 1 == written.Count) progress.WriteLine($"{suite}: {i + 1}/{written.Count} cases");
        }
        File.WriteAllText(Path.Combine(folder.Staging, "manifest.json"), Manifest(suite, seed, environment, written, unavailable, refused));
        try { folder.Commit(); }
        catch (OutputFolderException e) { throw new GenerationException(e.Message, e); }
        return new GenerationReport(folder.Target, written.Count, unavailable,
            [.. written.Where(c => refused.ContainsKey(c.Id)).Select(c => new RefusedCase(c.Id, refused[c.Id]))]);
    }

    /// <summary>manifest.json: the header indented, one case per block with each field on its own line.</summary>
    private static string Manifest(string suite, int seed, JsonObject environment, IReadOnlyList<GeneratedCase> cases, IReadOnlyList<UnavailableCall> unavailable,
        IReadOnlyDictionary<string, FixtureRaises> refused)
    {
        var options = new System.Text.Json.JsonSerializerOptions(Readable) { WriteIndented = true };
        string description = Description(suite, seed, unavailable);
        var text = new StringBuilder();
        text.Append("{\n");
        text.Append($"  \"format\": {Json(FixtureSuite.Format)},\n");
        text.Append($"  \"suite\": {Json($"{suite}-reference")},\n");
        text.Append($"  \"description\": {Json(description)},\n");
        text.Append($"  \"environment\": {environment.ToJsonString(options).Replace("\n", "\n  ", StringComparison.Ordinal)},\n");
        text.Append("  \"cases\": [\n");
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            text.Append($"    {{\"id\": {Json(c.Id)},\n");
            text.Append($"     \"file\": {Json(c.File)},\n");
            text.Append($"     \"call\": {Json(c.Call.Call)},\n");
            text.Append($"     \"args\": [{string.Join(", ", c.Call.ArgNames.Select(Json))}],\n");
            text.Append($"     \"kwargs\": {{{string.Join(", ", c.Call.Kwargs.Select(p => $"{Json(p.Key)}: {Compact(p.Value)}"))}}},\n");
            text.Append(refused.TryGetValue(c.Id, out var raises)
                ? $"     \"raises\": {{\"type\": {Json(raises.Type)}, \"message\": {Json(raises.Message)}}},\n"
                : "     \"expected\": \"expected\",\n");
            text.Append($"     \"note\": {Json(c.Note)}}}{(i + 1 < cases.Count ? "," : "")}\n");
        }
        text.Append("  ]\n}\n");
        return text.ToString();
    }

    private static string Description(string suite, int seed, IReadOnlyList<UnavailableCall> unavailable)
    {
        string calls = string.Join(", ", Catalogue.Calls(suite).Where(c => unavailable.All(u => u.Call != c)));
        string text = $"Real {suite} answers for {calls} on float32 inputs (standard normal values), written by `convparity generate --suite {suite} --seed {seed}`: " +
                      "a deterministic grid over every keyword value of docs/fixtures.md version 1, then seeded random draws. Arrays saved with numpy.savez_compressed.";
        if (unavailable.Count > 0)
            text += " Not available when generated, so not included: " + string.Join("; ", unavailable.Select(u => $"{u.Call} ({u.Reason})")) + ".";
        return text;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(string value) => JsonValue.Create(value).ToJsonString(Readable);

    /// <summary>A JSON value on one line with a space after each comma, as a person writes it.</summary>
    private static string Compact(JsonNode? value) => value switch
    {
        null => "null",
        JsonArray list => $"[{string.Join(", ", list.Select(Compact))}]",
        _ => value.ToJsonString(Readable),
    };
}
