using System.Text;
using System.Text.Json.Nodes;
using ConvParity.Fixtures;

namespace ConvParity.Python.Generation;

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
    /// <exception cref="GenerationException">The folder exists without <paramref name="force"/>, a parent is a file, or
    /// another run holds it.</exception>
    public static OutputFolder Claim(string directory, bool force)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            return OutputFolder.Claim(directory, _ => force, ForceHint);
        }
        catch (OutputFolderException e)
        {
            throw new GenerationException(e.Message, e);
        }
    }

    /// <summary>Generates <paramref name="suite"/> with <paramref name="seed"/> into <paramref
    /// name="directory"/>.</summary>
    /// <exception cref="GenerationException">The folder exists and <paramref name="force"/> is false, or the suite's
    /// library is not available.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static GenerationReport Generate(
        LiveReference live,
        string suite,
        int seed,
        string directory,
        bool force,
        TextWriter progress
    ) => Generate(live, suite, seed, Catalogue.For(suite, seed), directory, force, progress);

    /// <summary>Writes <paramref name="cases"/> (drawn from <paramref name="suite"/>'s catalogue with <paramref
    /// name="seed"/>) into <paramref name="directory"/>.</summary>
    /// <exception cref="GenerationException">The folder exists and <paramref name="force"/> is false, or the suite's
    /// library is not available.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static GenerationReport Generate(
        LiveReference live,
        string suite,
        int seed,
        IReadOnlyList<GeneratedCase> cases,
        string directory,
        bool force,
        TextWriter progress
    )
    {
        ArgumentNullException.ThrowIfNull(directory);
        using var folder = Claim(directory, force);
        return Generate(live, suite, seed, cases, folder, progress);
    }

    /// <summary>Generates <paramref name="suite"/> with <paramref name="seed"/> into a folder claimed with <see
    /// cref="Claim"/>, and commits it.</summary>
    /// <exception cref="GenerationException">The suite's library is not available, or the folder cannot be put in
    /// place.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static GenerationReport Generate(
        LiveReference live,
        string suite,
        int seed,
        OutputFolder folder,
        TextWriter progress
    ) => Generate(live, suite, seed, Catalogue.For(suite, seed), folder, progress);

    /// <summary>Writes <paramref name="cases"/> into a folder claimed with <see cref="Claim"/>, and commits
    /// it.</summary>
    /// <exception cref="GenerationException">The suite's library is not available, or the folder cannot be put in
    /// place.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static GenerationReport Generate(
        LiveReference live,
        string suite,
        int seed,
        IReadOnlyList<GeneratedCase> cases,
        OutputFolder folder,
        TextWriter progress
    )
    {
        ArgumentNullException.ThrowIfNull(cases);
        var header = new SuiteHeader(
            suite,
            $"{suite}-reference",
            suite == "numpy" ? ["numpy"] : ["numpy", suite],
            $"convparity generate --suite {suite} --seed {seed} (docs/fixtures.md)",
            unavailable => Description(suite, seed, unavailable)
        )
        {
            Seed = seed,
        };
        return Write(
            live,
            header,
            [
                .. cases.Select(c => new PlannedCase(
                    c.Id,
                    c.File,
                    c.Call.Call,
                    c.Call.ArgNames,
                    c.Call.Kwargs,
                    c.Note,
                    () => c.Call
                )),
            ],
            folder,
            progress
        );
    }

    /// <summary>
    /// Writes <paramref name="cases"/> into a folder claimed with <see cref="Claim"/>: each answered by the live
    /// library,
    /// or copied byte for byte from the stored suite it is kept from; then the manifest; then commits the folder.
    /// A call whose library is not importable is left out of the cases to answer and reported.
    /// </summary>
    /// <exception cref="GenerationException">A library named by the header or numpy is not available, nothing is left
    /// to write,
    /// or the folder cannot be put in place.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    internal static GenerationReport Write(
        LiveReference live,
        SuiteHeader header,
        IReadOnlyList<PlannedCase> cases,
        OutputFolder folder,
        TextWriter progress
    )
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(progress);
        string label = header.Label;
        if (cases.Count == 0)
            throw new GenerationException($"the {label} suite cannot be generated: no cases were given.");
        var unavailable = cases
            .Where(c => c.KeepFrom is null && c.Known is null)
            .GroupBy(c => c.Call)
            .Select(g => (Call: g.Key, Count: g.Count(), Reason: live.Unavailable(g.Key)))
            .Where(u => u.Reason is not null)
            .Select(u => new UnavailableCall(u.Call, u.Count, u.Reason!))
            .ToList();
        var libraries =
            header.Libraries
            ??
            [
                "numpy",
                .. cases
                    .Where(c => unavailable.All(u => u.Call != c.Call))
                    .Select(c => c.Call.Split('.')[0])
                    .Where(l => l != "numpy")
                    .Distinct(StringComparer.Ordinal),
            ];
        JsonObject environment;
        try
        {
            environment = live.Environment(libraries);
        }
        catch (LibraryUnavailableException e)
        {
            throw new GenerationException($"the {label} suite cannot be generated: {e.Reason}", e);
        }
        environment["generator"] = header.Generator;
        if (header.Seed is { } seed)
            environment["seed"] = seed;
        environment["input_dtype"] = header.InputDType;
        foreach (var (key, value) in header.Provenance ?? new Dictionary<string, string>())
            environment[key] = value;

        var written = cases.Where(c => c.KeepFrom is not null || unavailable.All(u => u.Call != c.Call)).ToList();
        if (written.Count == 0)
            throw new GenerationException(
                $"the {label} suite cannot be generated: no call is available ({unavailable[0].Reason})."
            );

        var refused = new Dictionary<string, FixtureRaises>(StringComparer.Ordinal);
        int answered = written.Count(c => c.KeepFrom is null && c.Known is null),
            done = 0;
        foreach (var c in written)
        {
            string file = Path.Combine(folder.Staging, c.File);
            if (c.KeepFrom is not null)
            {
                File.Copy(c.KeepFrom, file);
                if (c.KeptRaises is { } kept)
                    refused[c.Id] = kept;
                continue;
            }
            var call = c.Draw();
            if (c.Known is { } known)
            {
                live.Save(file, [.. call.ArgNames, "expected"], [.. call.Args, known]);
                continue;
            }
            try
            {
                live.Answer(call, file);
            }
            catch (PythonCallException e)
            {
                refused[c.Id] = Refusal.Of(e);
                live.Save(file, call);
                progress.WriteLine($"{label}: {c.Id} refused by the library: {refused[c.Id]}");
            }
            if (++done % 50 == 0 || done == answered)
                progress.WriteLine($"{label}: {done}/{answered} cases");
        }
        File.WriteAllText(
            Path.Combine(folder.Staging, "manifest.json"),
            Manifest(header, environment, written, header.Describe(unavailable), refused)
        );
        try
        {
            folder.Commit();
        }
        catch (OutputFolderException e)
        {
            throw new GenerationException(e.Message, e);
        }
        return new GenerationReport(
            folder.Target,
            written.Count,
            unavailable,
            [
                .. written
                    .Where(c => c.KeepFrom is null && refused.ContainsKey(c.Id))
                    .Select(c => new RefusedCase(c.Id, refused[c.Id])),
            ]
        );
    }

    /// <summary>manifest.json: the header indented, one case per block with each field on its own line.</summary>
    private static string Manifest(
        SuiteHeader header,
        JsonObject environment,
        IReadOnlyList<PlannedCase> cases,
        string description,
        IReadOnlyDictionary<string, FixtureRaises> refused
    )
    {
        var options = new System.Text.Json.JsonSerializerOptions(Readable) { WriteIndented = true };
        var text = new StringBuilder();
        text.Append("{\n");
        text.Append($"  \"format\": {Json(FixtureSuite.Format)},\n");
        text.Append($"  \"suite\": {Json(header.Name)},\n");
        text.Append($"  \"description\": {Json(description)},\n");
        text.Append(
            $"  \"environment\": {environment.ToJsonString(options).Replace("\n", "\n  ", StringComparison.Ordinal)},\n"
        );
        text.Append("  \"cases\": [\n");
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            text.Append($"    {{\"id\": {Json(c.Id)},\n");
            text.Append($"     \"file\": {Json(c.File)},\n");
            text.Append($"     \"call\": {Json(c.Call)},\n");
            text.Append($"     \"args\": [{string.Join(", ", c.ArgNames.Select(Json))}],\n");
            text.Append(
                "     \"kwargs\": "
                    + $"{{{string.Join(", ", c.Kwargs.Select(p => $"{Json(p.Key)}: {Compact(p.Value)}"))}}},\n"
            );
            text.Append(
                refused.TryGetValue(c.Id, out var raises)
                    ? $"     \"raises\": {{\"type\": {Json(raises.Type)}, \"message\": {Json(raises.Message)}}},\n"
                    : "     \"expected\": \"expected\",\n"
            );
            text.Append($"     \"note\": {Json(c.Note)}}}{(i + 1 < cases.Count ? "," : "")}\n");
        }
        text.Append("  ]\n}\n");
        return text.ToString();
    }

    private static string Description(string suite, int seed, IReadOnlyList<UnavailableCall> unavailable)
    {
        string calls = string.Join(", ", Catalogue.Calls(suite).Where(c => unavailable.All(u => u.Call != c)));
        string text =
            $"Real {suite} answers for {calls} on float32 inputs (standard normal values), "
            + $"written by `convparity generate --suite {suite} --seed {seed}`: "
            + "a deterministic grid over every keyword value of docs/fixtures.md version 1, "
            + "then seeded random draws. Arrays saved with numpy.savez_compressed.";
        if (unavailable.Count > 0)
            text +=
                " Not available when generated, so not included: "
                + string.Join("; ", unavailable.Select(u => $"{u.Call} ({u.Reason})"))
                + ".";
        return text;
    }

    private static readonly System.Text.Json.JsonSerializerOptions Readable = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static string Json(string value) => JsonValue.Create(value).ToJsonString(Readable);

    /// <summary>A JSON value on one line with a space after each comma, as a person writes it.</summary>
    private static string Compact(JsonNode? value) =>
        value switch
        {
            null => "null",
            JsonArray list => $"[{string.Join(", ", list.Select(Compact))}]",
            _ => value.ToJsonString(Readable),
        };
}
