using ConvParity.Fixtures;

namespace ConvParity.Reporting;

/// <summary>One suite's results through every engine, in manifest order.</summary>
/// <param name="Suite">The suite.</param>
/// <param name="Results">One result per case and engine.</param>
public sealed record SuiteRun(FixtureSuite Suite, IReadOnlyList<CaseResult> Results)
{
    /// <summary>The summary rows, one per engine, in the order the engines ran.</summary>
    public IEnumerable<ResultTally> Rows =>
        Results.GroupBy(r => r.Engine).Select(g => ResultTally.Of(Suite.Name, g.Key, g));
}
