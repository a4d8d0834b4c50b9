using System.Collections.Concurrent;
using ConvParity.Fixtures;
using ConvParity.Python;
using ConvParity.Python.Generation;

namespace ConvParity.Tests.Live;

/// <summary>
/// Seeded random problems for every numpy and scipy call, drawn on the fly, answered by the live
/// library and by every engine, judged under the bound. The seed is in the test name: the same
/// name replays the same problem (<see cref="Catalogue.Draw"/>).
/// </summary>
[Category("Live")]
[Parallelizable(ParallelScope.Children)]
public sealed class LiveParityTests
{
    private const int SeedsPerCall = 8;
    private static readonly ConcurrentDictionary<(string Call, int Seed), Lazy<FixtureCheck>> Prepared = new();

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (string call in Catalogue.Calls("numpy").Concat(Catalogue.Calls("scipy")))
            for (int seed = 1; seed <= SeedsPerCall; seed++)
                foreach (string engine in Repository.Engines.Names)
                    yield return new TestCaseData(call, seed, engine).SetName($"{call} seed {seed} [{engine}]");
    }

    /// <summary>Theano's calls, once each: they run where `import theano` works (with ../shared/theano, scripts/test
    /// sees to it).</summary>
    public static IEnumerable<TestCaseData> TheanoCases()
    {
        foreach (string call in Catalogue.Calls("theano"))
            for (int seed = 1; seed <= TheanoSeedsPerCall; seed++)
                foreach (string engine in Repository.Engines.Names)
                    yield return new TestCaseData(call, seed, engine).SetName($"{call} seed {seed} [{engine}]");
    }

    /// <summary>torch's calls (functional, gradients, modules), a few seeds each; the answers come with a bias where
    /// the draw has one.</summary>
    public static IEnumerable<TestCaseData> TorchCases()
    {
        foreach (string call in Catalogue.Calls("torch"))
            for (int seed = 1; seed <= TorchSeedsPerCall; seed++)
                foreach (string engine in Repository.Engines.Names)
                    yield return new TestCaseData(call, seed, engine).SetName($"{call} seed {seed} [{engine}]");
    }

    private const int TorchSeedsPerCall = 4;

    /// <summary>Fewer than for numpy and scipy: Theano compiles each new signature (seconds, then cached on
    /// disk).</summary>
    private const int TheanoSeedsPerCall = 3;

    [TestCaseSource(nameof(Cases))]
    public void Engine_matches_the_live_library(string call, int seed, string engine) => Check(call, seed, engine);

    [TestCaseSource(nameof(TorchCases))]
    public void Engine_matches_live_torch(string call, int seed, string engine) => Check(call, seed, engine);

    [TestCaseSource(nameof(TheanoCases))]
    public void Engine_matches_live_Theano(string call, int seed, string engine)
    {
        LivePython.TheanoFor(call);
        Check(call, seed, engine);
    }

    private static void Check(string call, int seed, string engine)
    {
        var live = LivePython.ReferenceFor(call);
        var check = Prepared
            .GetOrAdd((call, seed), key => new Lazy<FixtureCheck>(() => Prepare(live, key.Call, key.Seed)))
            .Value;
        var result = check.Run(Repository.Engines.Create(engine));
        Assert.That(
            result.Outcome,
            Is.EqualTo(CaseOutcome.Passed),
            $"{check.Case.Note}{Environment.NewLine}{result.Message}"
        );
    }

    /// <summary>Draws the problem, asks the library, and plans and bounds it exactly as a fixture case.</summary>
    private static FixtureCheck Prepare(LiveReference live, string callName, int seed)
    {
        var call = Catalogue.Draw(callName, seed);
        var arrays = call.Args.Select(a => new FixtureArray(a, "float32", false)).ToList();
        var bias = arrays.Count > 2 ? arrays[2] : null;
        var description = new FixtureCase(
            $"{callName} seed {seed}",
            "",
            callName,
            call.ArgNames,
            call.Kwargs,
            "expected",
            call.ToString()
        );
        LiveAnswer answer;
        try
        {
            answer = live.Answer(call);
        }
        catch (PythonCallException e) // a draw the library refuses: the convention must refuse it too
        {
            return FixtureCheck.FromRefusal(
                "live",
                description with
                {
                    Expected = null,
                    Raises = Refusal.Of(e),
                },
                arrays[0],
                arrays[1],
                bias
            );
        }
        return FixtureCheck.FromArrays(
            "live",
            description,
            arrays[0],
            arrays[1],
            new FixtureArray(answer.Value, answer.DType, answer.DType != "float32"),
            bias: bias
        );
    }
}
