using ConvParity.Fixtures;

namespace ConvParity.Python.Generation;

/// <summary>
/// Writes a suite from a <see cref="CaseSpec"/>, whole, or updates one written from it: cases the spec gained are
/// answered by the live libraries, cases it lost are removed, and unchanged ones are kept byte for byte
/// (their .npz copied, their manifest entry written the same), never answered again.
/// </summary>
public static class SpecSuite
{
    /// <summary>The start of the "generator" a spec-written suite's environment records.</summary>
    public const string Generator = "convparity generate --spec";

    /// <summary>
    /// Compares the suite in <paramref name="directory"/> with <paramref name="spec"/>; a missing folder holds nothing.
    /// </summary>
    /// <exception cref="GenerationException">The folder holds a suite that was not written from a spec, or cannot be
    /// read.</exception>
    public static SpecPlan Plan(CaseSpec spec, string directory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory) && !File.Exists(directory))
            return new SpecPlan([], spec.Cases, []);
        FixtureSuite stored;
        try
        {
            stored = FixtureSuite.Load(directory);
        }
        catch (FixtureException e)
        {
            throw new GenerationException($"cannot update {directory}: {e.Message}", e);
        }
        string? generator = stored.Environment["generator"]?.ToString();
        if (generator is null || !generator.StartsWith(Generator, StringComparison.Ordinal))
            throw new GenerationException(
                $"cannot update {directory}: it was not written from a spec (its generator is "
                    + $"'{generator ?? "not recorded"}'); write it anew with --out and --force"
            );
        var byId = stored.Cases.ToDictionary(c => c.Id, StringComparer.Ordinal);
        var kept = new List<SpecCase>();
        var missing = new List<SpecCase>();
        foreach (var c in spec.Cases)
            (byId.TryGetValue(c.Id, out var s) && Unchanged(stored, s, c) ? kept : missing).Add(c);
        var ids = spec.Cases.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return new SpecPlan(kept, missing, [.. stored.Cases.Select(c => c.Id).Where(id => !ids.Contains(id))]);
    }

    /// <summary>
    /// Writes <paramref name="spec"/>'s suite into <paramref name="folder"/> (claimed with <see
    /// cref="SuiteWriter.Claim"/>):
    /// with <paramref name="update"/>, the unchanged cases of the suite already there are kept and only the others
    /// answered;
    /// without, every case is answered.
    /// </summary>
    /// <exception cref="GenerationException">numpy is missing, no case can be written, the folder holds a suite not
    /// written from a
    /// spec, or the folder cannot be put in place.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static SpecReport Write(
        LiveReference live,
        CaseSpec spec,
        OutputFolder folder,
        bool update,
        TextWriter progress
    )
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(folder);
        var plan = update ? Plan(spec, folder.Target) : new SpecPlan([], spec.Cases, []);
        // Nothing gained or lost: the folder is left exactly as it is.
        if (update && plan.Missing.Count == 0 && plan.Removed.Count == 0)
            return new SpecReport(new GenerationReport(folder.Target, plan.Kept.Count, [], []), plan);
        FixtureSuite? stored = plan.Kept.Count > 0 ? FixtureSuite.Load(folder.Target) : null;
        var keep = plan.Kept.ToHashSet();
        var cases = spec
            .Cases.Select(c =>
            {
                string[] names = [.. c.Args.Select(a => a.Name)];
                var planned = new PlannedCase(c.Id, c.File, c.Call, names, c.Kwargs, c.Note, c.DrawCall);
                if (!keep.Contains(c))
                    return planned;
                var s = stored!.Cases.First(x => x.Id == c.Id);
                return planned with { KeepFrom = stored.PathOf(s), KeptRaises = s.Raises };
            })
            .ToList();
        string dtypes = string.Join(", ", spec.Cases.Select(c => c.DType).Distinct(StringComparer.Ordinal));
        var header = new SuiteHeader(
            spec.Suite,
            spec.Suite,
            null,
            $"{Generator} {Path.GetFileName(spec.Path)} (docs/case-spec.md)",
            unavailable => Description(spec, unavailable)
        )
        {
            InputDType = dtypes,
        };
        return new SpecReport(SuiteWriter.Write(live, header, cases, folder, progress), plan);
    }

    private static bool Unchanged(FixtureSuite suite, FixtureCase stored, SpecCase c)
    {
        if (
            stored.File != c.File
            || stored.Call != c.Call
            || !stored.Args.SequenceEqual(c.Args.Select(a => a.Name))
            || !System.Text.Json.Nodes.JsonNode.DeepEquals(stored.Kwargs, c.Kwargs)
            || stored.Note != c.Note
        )
            return false;
        if (stored.Raises is null && stored.Expected != "expected")
            return false;
        try
        {
            return File.Exists(suite.PathOf(stored));
        }
        catch (FixtureException)
        {
            return false;
        }
    }

    private static string Description(CaseSpec spec, IReadOnlyList<UnavailableCall> unavailable)
    {
        string text = spec.Description ?? $"Real library answers for the cases of {Path.GetFileName(spec.Path)}.";
        text +=
            $" Written from {Path.GetFileName(spec.Path)} by `convparity generate --spec` (docs/case-spec.md); "
            + "arrays saved with numpy.savez_compressed.";
        if (unavailable.Count > 0)
            text +=
                " Not available when generated, so not included: "
                + string.Join("; ", unavailable.Select(u => $"{u.Call} ({u.Reason})"))
                + ".";
        return text;
    }
}
