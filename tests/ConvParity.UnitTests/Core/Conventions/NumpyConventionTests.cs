using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Problems;

namespace ConvParity.Tests;

/// <summary>
/// numpy.convolve and numpy.correlate as planned: each mode's padding, including the rules the committed grid does
/// not reach (equal lengths in 'same', the longer v in 'valid'), the defaults, the rank refusals and the
/// explanations. Each padding is where numpy 1.24.2 put the answer of the mode inside its 'full' answer (found by
/// matching np.correlate(a, v, mode) / np.convolve(a, v, mode) of random arrays against a slice of the 'full'
/// answer: padBefore = len(v) - 1 - start, padAfter = len(result) - 1 + len(v) - len(a) - padBefore).
/// </summary>
public sealed class NumpyConventionTests
{
    private static ConvPlan Plan(string call, int a, int v, string kwargs = "{}") =>
        ConventionRegistry.Plan(
            call,
            [
                [a],
                [v],
            ],
            JsonNode.Parse(kwargs)!.AsObject()
        );

    [TestCase("numpy.convolve", 4, 4, 2, 1, Description = "np.convolve 'same': start 1 of the full answer")]
    [TestCase("numpy.correlate", 4, 4, 2, 1, Description = "np.correlate 'same': start 1")]
    [TestCase("numpy.correlate", 5, 5, 2, 2, Description = "np.correlate 'same': start 2")]
    [TestCase("numpy.correlate", 5, 2, 1, 0, Description = "np.correlate 'same': start 0")]
    [TestCase("numpy.convolve", 5, 2, 1, 0, Description = "np.convolve 'same': start 0")]
    public void Same_mode_of_equal_or_short_kernels(string call, int a, int v, int before, int after)
    {
        var plan = Plan(call, a, v, """{"mode": "same"}""");
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { before }));
        Assert.That(plan.Problem.PadAfter, Is.EqualTo(new[] { after }));
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { Math.Max(a, v) }));
    }

    [TestCase("numpy.convolve", 4, 7, 3, new[] { 4 }, Description = "start 3 of the full answer")]
    [TestCase("numpy.correlate", 4, 7, 3, new[] { 4 }, Description = "start 3")]
    [TestCase("numpy.correlate", 7, 4, 0, new[] { 4 }, Description = "start 3")]
    public void Valid_mode_keeps_the_complete_overlaps_whichever_array_is_longer(
        string call,
        int a,
        int v,
        int pad,
        int[] shape
    )
    {
        var plan = Plan(call, a, v, """{"mode": "valid"}""");
        Assert.That(plan.Problem.PadBefore, Is.EqualTo(new[] { pad }));
        Assert.That(plan.Problem.PadAfter, Is.EqualTo(new[] { pad }));
        Assert.That(plan.ResultShape, Is.EqualTo(shape));
    }

    [Test]
    public void Convolve_defaults_to_full_and_correlate_to_valid()
    {
        // len(np.convolve(ones(5), ones(3))) == 7; len(np.correlate(ones(5), ones(3))) == 3.
        var convolve = Plan("numpy.convolve", 5, 3);
        Assert.That(convolve.ResultShape, Is.EqualTo(new[] { 7 }));
        Assert.That((convolve.Problem.PadBefore[0], convolve.Problem.PadAfter[0]), Is.EqualTo((2, 2)));
        Assert.That(convolve.Problem.Flip, Is.True);
        var correlate = Plan("numpy.correlate", 5, 3);
        Assert.That(correlate.ResultShape, Is.EqualTo(new[] { 3 }));
        Assert.That(correlate.Problem.Flip, Is.False);
        Assert.That(correlate.Problem.Boundary, Is.EqualTo(Boundary.Zero));
        Assert.That(correlate.Algorithm, Is.EqualTo(ReferenceAlgorithm.Direct));
    }

    [Test]
    public void Both_arrays_must_be_one_d()
    {
        // np.convolve(ones(5), ones((2, 3))): ValueError: object too deep for desired array (a as well).
        Assert.That(
            () =>
                ConventionRegistry.Plan(
                    "numpy.convolve",
                    [
                        [5],
                        [2, 3],
                    ],
                    null
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo("numpy.convolve: v has shape [2, 3] (2-D); 1-D expected.")
        );
        Assert.That(
            () =>
                ConventionRegistry.Plan(
                    "numpy.correlate",
                    [
                        [5, 1],
                        [3],
                    ],
                    null
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo("numpy.correlate: a has shape [5, 1] (2-D); 1-D expected.")
        );
    }

    [Test]
    public void An_empty_array_is_refused()
    {
        // np.correlate(ones(0), ones(3)): ValueError: first array argument cannot be empty.
        Assert.That(
            () => Plan("numpy.correlate", 0, 3),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo("numpy.correlate: a [0] and v [3] must be non-empty.")
        );
    }

    [TestCase(
        "numpy.convolve",
        "full",
        "true convolution (v reversed), mode 'full': every overlap, length len(a)+len(v)-1"
    )]
    [TestCase(
        "numpy.correlate",
        "valid",
        "correlation (v not reversed), mode 'valid': complete overlaps only, length |len(a)-len(v)|+1"
    )]
    [TestCase(
        "numpy.convolve",
        "same",
        "true convolution (v reversed), mode 'same': length max(len(a), len(v)), centre at (min(len)-1)//2 of the full "
            + "output"
    )]
    [TestCase(
        "numpy.correlate",
        "same",
        "correlation (v not reversed), mode 'same': length max(len(a), len(v)), centre at (len(v)-1)//2 of the full "
            + "output, or len(a)//2 when v is longer"
    )]
    public void Explanations(string call, string mode, string explanation) =>
        Assert.That(Plan(call, 7, 3, $$"""{"mode": "{{mode}}"}""").Explanation, Is.EqualTo(explanation));

    [Test]
    public void Plan_refuses_null_arguments()
    {
        var convention = new NumpyConvention();
        Assert.That(
            () => convention.Plan("numpy.convolve", null!, new Kwargs("numpy.convolve", null)),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("argShapes")
        );
        Assert.That(
            () =>
                convention.Plan(
                    "numpy.convolve",
                    [
                        [5],
                        [3],
                    ],
                    null!
                ),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("kwargs")
        );
    }

    [Test]
    public void Three_arrays_are_refused() =>
        // np.convolve(ones(5), ones(3), ones(2)): TypeError: convolve/correlate mode not understood (the third
        // positional argument is mode).
        Assert.That(
            () =>
                ConventionRegistry.Plan(
                    "numpy.convolve",
                    [
                        [5],
                        [3],
                        [2],
                    ],
                    null
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo("numpy.convolve: takes 2 array arguments; 3 given.")
        );
}
