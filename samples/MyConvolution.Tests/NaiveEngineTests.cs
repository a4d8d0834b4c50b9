using System.Text.Json.Nodes;
using ConvParity.Fixtures;
using ConvParity.Tensors;
using ConvParity.Testing;

namespace MyConvolution.Tests;

/// <summary>Our engine against the real answers of numpy, scipy and Theano, bundled by ConvParity.References.</summary>
public sealed class NaiveEngineTests
{
    private readonly NaiveEngine _engine = new();

    [TestCaseSource(typeof(ParityCases), nameof(ParityCases.Bundled), new object[] { "numpy" })]
    public void Matches_numpy(ParityCase c) => ParityAssert.Matches(_engine, c);

    [TestCaseSource(typeof(ParityCases), nameof(ParityCases.Bundled), new object[] { "scipy" })]
    public void Matches_scipy(ParityCase c) => ParityAssert.Matches(_engine, c);

    [TestCaseSource(typeof(ParityCases), nameof(ParityCases.Bundled), new object[] { "theano" })]
    public void Matches_theano(ParityCase c) => ParityAssert.Matches(_engine, c);

    [TestCaseSource(typeof(ParityCases), nameof(ParityCases.Bundled), new object[] { "seed" })]
    public void Matches_the_seed_question(ParityCase c) => ParityAssert.Matches(_engine, c);

    /// <summary>A wrong answer fails, naming the likely cause: here the kernel left unflipped.</summary>
    [Test]
    public void A_missing_flip_is_caught_and_named()
    {
        var theanoCase = ParityCases
            .Load(BundledSuites.Folder("seed"))
            .First(c => c.Call == "theano.tensor.nnet.conv2d" && c.Kwargs["filter_flip"]!.GetValue<bool>());
        var problem = theanoCase.Problem;
        var unflipped = problem.Plan.Problem.WithFlip(false);
        var wrong = problem.Plan.Result(_engine.Forward(unflipped, problem.First, problem.Second));

        string? failure = ParityAssert.Failure(wrong, theanoCase.Expected, problem);

        Assert.That(
            failure,
            Does.Contain("beyond the float32 error bound")
                .And.Contain("likely cause: the answer is the reference's with kernel not flipped")
        );
    }

    /// <summary>Our own arrays and a call in numpy's words.</summary>
    [Test]
    public void Same_mode_numpy_convolve_on_our_own_arrays()
    {
        var a = new Tensor(new float[] { 1, 2, 3, 4, 5 }, 5);
        var v = new Tensor(new float[] { 1, 0, -1, 0.5f }, 4);
        var problem = ParityProblem.Of("numpy.convolve", a, v, new JsonObject { ["mode"] = "same" });
        // numpy 1.24: numpy.convolve([1, 2, 3, 4, 5], [1, 0, -1, 0.5], 'same')
        float[] numpyAnswer = [2, 2, 2.5f, 3, -2.5f];

        var ours = problem.Plan.Result(_engine.Forward(problem.Plan.Problem, problem.First, problem.Second));

        ParityAssert.Matches(ours, new Tensor(numpyAnswer, 5), problem);
    }
}
