using ConvParity.Fixtures;

namespace ConvParity.Reporting;

/// <summary>One case of one suite with every engine's result: the report draws and discusses it once.</summary>
/// <param name="Run">The suite's run.</param>
/// <param name="Case">The case.</param>
/// <param name="Results">One result per engine, in the order the engines ran.</param>
/// <param name="Anchor">The id of its section in report.html.</param>
internal sealed record CaseGroup(SuiteRun Run, FixtureCase Case, IReadOnlyList<CaseResult> Results, string Anchor)
{
    /// <summary>Whether some engine failed the case.</summary>
    public bool Failed => Results.Any(r => r.Outcome == CaseOutcome.Failed);

    /// <summary>Whether every engine passed it.</summary>
    public bool Passed => Results.Count > 0 && Results.All(r => r.Outcome == CaseOutcome.Passed);

    /// <summary>The largest error / bound over the engines; infinite for a failure that was not judged (an engine
    /// that threw, a case that could not be read).</summary>
    public double WorstRatio =>
        Results
            .Select(r => r.Verdict?.WorstRatio ?? (r.Outcome == CaseOutcome.Failed ? double.PositiveInfinity : 0))
            .DefaultIfEmpty(0)
            .Max();

    /// <summary>The case's results grouped per case, in manifest order, each with a unique anchor.</summary>
    public static List<CaseGroup> Of(IReadOnlyList<SuiteRun> runs)
    {
        var groups = new List<CaseGroup>();
        foreach (var run in runs)
        {
            var cases = run.Suite.Cases.ToDictionary(c => c.Id);
            foreach (var results in run.Results.GroupBy(r => r.CaseId))
                if (cases.TryGetValue(results.Key, out var fixtureCase))
                    groups.Add(
                        new CaseGroup(
                            run,
                            fixtureCase,
                            [.. results],
                            $"case-{groups.Count}-{Slug(run.Suite.Name, results.Key)}"
                        )
                    );
        }
        return groups;
    }

    private static string Slug(string suite, string id) =>
        new([.. $"{suite}-{id}".Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' ? ch : '_').Take(100)]);
}
