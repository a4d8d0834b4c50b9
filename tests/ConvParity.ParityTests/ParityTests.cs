using System.Collections.Concurrent;
using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>Every case of every suite under fixtures/, through every engine: the regression net that needs no
/// Python.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class ParityTests
{
    private static readonly ConcurrentDictionary<(string Suite, string Id), FixtureCheck> Prepared = new();

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (string folder in Repository.SuiteFolders)
        {
            var suite = FixtureSuite.Load(folder);
            foreach (var fixtureCase in suite.Cases)
            foreach (string engine in Repository.Engines.Names)
                yield return new TestCaseData(folder, fixtureCase.Id, engine).SetName($"{fixtureCase.Id} [{engine}]");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Engine_matches_the_reference_within_the_bound(string folder, string caseId, string engine)
    {
        var check = Prepared.GetOrAdd(
            (folder, caseId),
            key =>
            {
                var suite = FixtureSuite.Load(key.Suite);
                return FixtureCheck.Prepare(suite, suite.Cases.Single(c => c.Id == key.Id));
            }
        );
        var result = check.Run(Repository.Engines.Create(engine));
        Assert.That(result.Outcome, Is.EqualTo(CaseOutcome.Passed), result.Message);
    }
}
