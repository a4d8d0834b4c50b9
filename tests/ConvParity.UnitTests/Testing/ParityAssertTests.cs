using ConvParity.Engines;
using ConvParity.Testing;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace ConvParity.Tests;

/// <summary>ParityAssert and the fixture case sources, used as a user's own tests would use them.</summary>
public sealed class ParityAssertTests
{
    [TestCaseSource(typeof(ParityCases), nameof(ParityCases.InFolder), new object[] { "fixtures/seed" })]
    public void The_reference_engine_matches_every_seed_case(ParityCase parityCase) =>
        ParityAssert.Matches(new ReferenceEngine(), parityCase);

    [Test]
    public void The_case_source_enumerates_a_whole_folder()
    {
        var cases = ParityCases.InFolders("fixtures/seed", "fixtures/theano").ToList();
        // 5 seed cases and the 199 theano cases with an answer; the 20 calls Theano refused, and the
        // convention too, give an engine nothing to compute and are left out (check judges them).
        Assert.That(cases, Has.Count.EqualTo(204));
        Assert.That(cases.Select(c => c.TestName), Is.Unique);
        Assert.That(cases.Where(c => c.RunState == RunState.Ignored), Is.Empty);
    }

    [Test]
    public void A_failure_names_the_case_the_worst_element_both_values_the_bound_and_the_likely_cause()
    {
        var theano = ParityCases
            .Load("fixtures/seed")
            .Single(c => c.Id.StartsWith("seed/theano.conv2d/valid/flip", StringComparison.Ordinal));
        var wrong = theano.Run(new SummingEngine(Summation.Natural, PlantedBug.MissingFlip));

        string? message = ParityAssert.Failure(wrong, theano.Expected, theano.Problem);

        Assert.That(
            message,
            Does.StartWith(
                $"case {theano.Id} (theano.tensor.nnet.conv2d): 1 of 1 elements beyond the float32 error bound"
            )
        );
        Assert.That(
            message,
            Does.Contain(
                $"worst element [0, 0, 0, 0]: actual {wrong.Span[0]:R}, "
                    + $"expected {theano.Expected.Span[0]:R}, difference "
            )
        );
        Assert.That(message, Does.Contain(", bound ").And.Contain(" x bound"));
        Assert.That(
            message,
            Does.Contain(
                "likely cause: the answer is the reference's with kernel not flipped "
                    + "(correlation instead of true convolution)"
            )
        );
    }

    [Test]
    public void Matches_fails_the_test_with_that_message()
    {
        var theano = ParityCases
            .Load("fixtures/seed")
            .Single(c => c.Id.StartsWith("seed/theano.conv2d/valid/flip", StringComparison.Ordinal));
        var wrong = theano.Run(new SummingEngine(Summation.Natural, PlantedBug.MissingFlip));
        AssertionException? failure;
        using (new TestExecutionContext.IsolatedContext())
            failure = Assert.Throws<AssertionException>(() =>
                ParityAssert.Matches(wrong, theano.Expected, theano.Problem)
            );
        Assert.That(failure!.Message, Does.Contain("kernel not flipped"));
    }

    [Test]
    public void A_problem_can_be_made_from_a_library_call_on_its_own_arrays()
    {
        var scipy = ParityCases.Load("fixtures/seed").Single(c => c.Call == "scipy.signal.correlate");
        var problem = ParityProblem.Of(scipy.Call, scipy.Problem.First, scipy.Problem.Second, scipy.Kwargs);
        var answer = scipy.Run(new ReferenceEngine());
        Assert.That(ParityAssert.Failure(answer, scipy.Expected, problem), Is.Null);
        Assert.That(ParityAssert.Judge(answer, scipy.Expected, problem).Passed, Is.True);
    }
}
