using ConvParity.Fixtures;
using ConvParity.Python;
using ConvParity.Python.Generation;
using NUnit.Framework;

namespace ConvParity.Testing;

/// <summary>
/// Test case sources over fixture suites, for NUnit's TestCaseSource: the suites bundled by the
/// ConvParity.References package by name, or any folder in the convparity.fixtures/1 format.
/// <code>
/// [TestCaseSource(typeof(ParityCases), nameof(ParityCases.Bundled), new object[] { "theano" })]
/// public void My_convolution_matches(ParityCase c) => ParityAssert.Matches(new MyEngine(), c);
/// </code>
/// A case whose call is not supported is ignored with the reason (skipped, never passed); a case that
/// cannot be read fails with the reason. A call the library refused ("raises") gives an engine nothing to
/// compute: where the convention refuses it too it is left out (<c>convparity check</c> judges that
/// agreement), and where the convention plans it the test fails.
/// </summary>
public static class ParityCases
{
    /// <summary>
    /// Every case of the bundled suite called <paramref name="name"/> (numpy, scipy, theano, seed), which the
    /// ConvParity.References package copies beside the test assembly: no path needed.
    /// </summary>
    /// <exception cref="ArgumentException">No bundled suite has that name (the message lists those there
    /// are).</exception>
    public static IEnumerable<TestCaseData> Bundled(string name)
    {
        string folder;
        try
        {
            folder = BundledSuites.Folder(name);
        }
        catch (FixtureException e)
        {
            throw new ArgumentException($"bundled suite '{name}': {e.Reason}", nameof(name), e);
        }
        return InFolder(folder);
    }

    /// <summary>Every case of the suite in <paramref name="folder"/> (absolute, relative to the working folder, or to a
    /// folder above the test assembly).</summary>
    /// <exception cref="ArgumentException">No such suite folder, or its manifest cannot be read.</exception>
    public static IEnumerable<TestCaseData> InFolder(string folder)
    {
        foreach (var parityCase in Load(folder))
        {
            if (parityCase.Refused is null)
                yield return Data(parityCase);
        }
    }

    /// <summary>A case as NUnit runs it: named by suite and id, ignored with the reason when its call is not
    /// supported.</summary>
    private static TestCaseData Data(ParityCase parityCase)
    {
        var data = new TestCaseData(parityCase).SetName($"{parityCase.Suite}: {parityCase.Id}");
        if (parityCase.Unsupported is { } reason)
            data.Ignore($"unsupported: {reason}");
        return data;
    }

    /// <summary>The environment variable that can forbid recording: <c>CONVPARITY_RECORD=never</c>.</summary>
    public const string RecordVariable = "CONVPARITY_RECORD";

    /// <summary>
    /// Every case of your own <paramref name="spec"/> (docs/case-spec.md), replayed from the suite in <paramref
    /// name="folder"/>.
    /// Cases the suite lacks (a new entry, a changed one, no suite yet) are first recorded into it with the live
    /// libraries,
    /// atomically (the whole folder is replaced at the end, unchanged cases kept byte for byte), and the test output
    /// says
    /// so. Where recording is not allowed (a CI run: the CI variable is set; or <c>CONVPARITY_RECORD=never</c>) or not
    /// possible (no Python, the library missing), each missing case fails its test with the reason: CI never writes
    /// fixtures.
    /// A relative <paramref name="spec"/> is looked for in the working folder and the folders above the test assembly;
    /// a relative <paramref name="folder"/> lies beside it.
    /// </summary>
    /// <exception cref="ArgumentException">The spec is missing or invalid, or the folder holds a suite not written from
    /// a spec.</exception>
    public static IEnumerable<TestCaseData> Recorded(string folder, string spec) =>
        RecordedWith(folder, spec, Environment.GetEnvironmentVariable, TestContext.Progress);

    /// <summary>
    /// <see cref="Recorded(string, string)"/> with the environment read through <paramref name="environment"/> and the
    /// recording announced on <paramref name="progress"/> (another name, not an overload: NUnit's TestCaseSource finds
    /// its
    /// method by name alone).
    /// </summary>
    /// <exception cref="ArgumentException">The spec is missing or invalid, or the folder holds a suite not written from
    /// a spec.</exception>
    public static IEnumerable<TestCaseData> RecordedWith(
        string folder,
        string spec,
        Func<string, string?> environment,
        TextWriter progress
    )
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(progress);
        string specPath = ResolveFile(spec);
        string suiteFolder = Path.IsPathRooted(folder)
            ? folder
            : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(specPath))!, folder);
        CaseSpec parsed;
        SpecPlan plan;
        try
        {
            parsed = CaseSpec.Load(specPath);
            plan = SpecSuite.Plan(parsed, suiteFolder);
        }
        catch (Exception e) when (e is CaseSpecException or GenerationException)
        {
            throw new ArgumentException(e.Message, nameof(spec), e);
        }
        var ready = plan.Kept.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var recordedNow = new HashSet<string>(StringComparer.Ordinal);
        string? notRecorded = null;
        if (plan.Missing.Count > 0)
        {
            notRecorded = RecordingRefusal(environment);
            if (notRecorded is null)
            {
                var (recorded, reason) = Record(parsed, suiteFolder, plan, progress);
                recordedNow.UnionWith(recorded.Where(id => !ready.Contains(id)));
                ready.UnionWith(recorded);
                notRecorded = reason;
            }
        }
        var stored = ready.Count == 0 ? [] : Load(suiteFolder).ToDictionary(c => c.Id, StringComparer.Ordinal);
        foreach (var c in parsed.Cases)
        {
            if (!ready.Contains(c.Id) || !stored.TryGetValue(c.Id, out var parityCase))
            {
                string why = $"not recorded in {suiteFolder}: {notRecorded ?? "the library left it out"}";
                yield return new TestCaseData(new ParityCase(parsed.Suite, c.Id, c.Call, c.Kwargs, why)).SetName(
                    $"{parsed.Suite}: {c.Id}"
                );
                continue;
            }
            if (parityCase.Refused is not null)
                continue;
            if (recordedNow.Contains(c.Id))
                parityCase.RecordedNow =
                    $"ConvParity: {c.Id} was recorded in this run into {suiteFolder} with the live library; commit it";
            yield return Data(parityCase);
        }
    }

    /// <summary>
    /// Why this run may not record missing cases, or null when it may: a CI run (the CI variable set to anything but
    /// empty, "false" or "0") or CONVPARITY_RECORD=never replay only; CONVPARITY_RECORD is "never", "auto" or unset.
    /// </summary>
    public static string? RecordingRefusal(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? record = environment(RecordVariable);
        if (record == "never")
            return $"{RecordVariable}=never forbids recording; record it where Python is, and commit the suite";
        if (record is not (null or "" or "auto"))
            return $"{RecordVariable}='{record}' is neither 'never' nor 'auto', so nothing is recorded";
        string? ci = environment("CI");
        if (ci is not (null or "" or "false" or "0"))
            return "this is a CI run (CI is set), which replays only: "
                + "record the case where Python is (run the tests there, or "
                + "`convparity generate --spec ... --update ...`) and commit the suite";
        return null;
    }

    /// <summary>Records the missing cases with the live libraries; the ids now in the suite, and why any are still
    /// missing.</summary>
    private static (IReadOnlyList<string> Recorded, string? Reason) Record(
        CaseSpec spec,
        string folder,
        SpecPlan plan,
        TextWriter progress
    )
    {
        if (!LiveReference.TryStart(out var live, out string? reason))
            return ([], $"no live reference to record it with: {reason}");
        progress.WriteLine(
            $"ConvParity: recording {plan.Missing.Count} case(s) of {spec.Path} missing from {folder} "
                + $"with the live libraries ({live!.Runtime})"
        );
        try
        {
            using var claimed = SuiteWriter.Claim(folder, force: true);
            var report = SpecSuite.Write(live, spec, claimed, update: true, progress);
            var leftOut = report.Written.Unavailable;
            progress.WriteLine(
                $"ConvParity: recorded {report.Written.Cases - plan.Kept.Count} case(s) into {folder}"
                    + (plan.Removed.Count > 0 ? $", removed {plan.Removed.Count} the spec no longer has" : "")
            );
            var recorded = spec.Cases.Where(c => leftOut.All(u => u.Call != c.Call)).Select(c => c.Id).ToList();
            return (
                recorded,
                leftOut.Count == 0
                    ? null
                    : string.Join("; ", leftOut.Select(u => $"{u.Call} is not available: {u.Reason}"))
            );
        }
        catch (Exception e)
            when (e is GenerationException or PythonCallException or IOException or UnauthorizedAccessException)
        {
            progress.WriteLine($"ConvParity: recording failed, nothing was written: {e.Message}");
            return ([], $"recording failed: {e.Message}");
        }
    }

    /// <summary>Every case of every suite in <paramref name="folders"/>.</summary>
    public static IEnumerable<TestCaseData> InFolders(params string[] folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        return folders.SelectMany(InFolder);
    }

    /// <summary>The cases of the suite in <paramref name="folder"/>, read and planned.</summary>
    /// <exception cref="ArgumentException">No such suite folder, or its manifest cannot be read.</exception>
    public static IEnumerable<ParityCase> Load(string folder)
    {
        FixtureSuite suite;
        try
        {
            suite = FixtureSuite.Load(Resolve(folder));
        }
        catch (FixtureException e)
        {
            throw new ArgumentException($"fixture suite '{folder}': {e.Message}", nameof(folder), e);
        }
        return suite.Cases.Select(c => new ParityCase(suite, FixtureCheck.Prepare(suite, c)));
    }

    /// <summary>The file as given if it exists, else the first file of that relative path above the test
    /// assembly.</summary>
    private static string ResolveFile(string file) =>
        Above(file, File.Exists)
        ?? throw new ArgumentException(
            $"spec '{file}' not found in {Directory.GetCurrentDirectory()} nor above {AppContext.BaseDirectory}",
            nameof(file)
        );

    /// <summary><paramref name="path"/> as given if it exists or is rooted, else the first such relative path above the
    /// test assembly.</summary>
    private static string? Above(string path, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (exists(path) || Path.IsPathRooted(path))
            return path;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, path);
            if (exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>The folder as given if it exists, else the first folder of that relative path above the test
    /// assembly.</summary>
    private static string Resolve(string folder) =>
        Above(folder, Directory.Exists)
        ?? throw new ArgumentException(
            $"fixture suite folder '{folder}' not found in {Directory.GetCurrentDirectory()} "
                + $"nor above {AppContext.BaseDirectory}",
            nameof(folder)
        );
}
