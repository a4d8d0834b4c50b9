using System.Text.Json.Nodes;
using ConvParity.Conventions;

namespace ConvParity.Tests;

/// <summary>
/// The checks every crop-of-the-full-correlation plan shares (numpy, scipy.signal, scipy.ndimage): the two arrays'
/// ranks, empty arrays, and the three spatial axes a problem holds, with the leading axes where the kernel has
/// extent 1 folded into the batch.
/// </summary>
public sealed class FullOutputCropTests
{
    private static ConvPlan Plan(string call, int[] in1, int[] in2, string kwargs = "{}") =>
        ConventionRegistry.Plan(call, [in1, in2], JsonNode.Parse(kwargs)!.AsObject());

    [Test]
    public void Arrays_of_different_ranks_are_refused() =>
        // scipy.signal.correlate(ones((3, 3)), ones(2)): ValueError: in1 and in2 should have the same dimensionality.
        Assert.That(
            () => Plan("scipy.signal.correlate", [3, 3], [2]),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo(
                    "scipy.signal.correlate: in1 [3, 3] and in2 [2] should have the same number of dimensions."
                )
        );

    [TestCase(new[] { 0, 3 }, new[] { 2, 2 })]
    [TestCase(new[] { 3, 3 }, new[] { 2, 0 })]
    public void Empty_arrays_are_refused(int[] in1, int[] in2) =>
        // scipy.signal.convolve(zeros((0, 3)), zeros((2, 2))) and (zeros((3, 3)), zeros((0, 2))): ValueError (could
        // not broadcast input array).
        Assert.That(
            () => Plan("scipy.signal.convolve", in1, in2, """{"method": "direct"}"""),
            Throws.TypeOf<InvalidCallException>().With.Message.EndWith("must be non-empty.")
        );

    [Test]
    public void Leading_flat_kernel_axes_fold_into_the_batch_so_four_axes_can_be_planned()
    {
        // scipy.signal.correlate(ones((2, 5, 6, 7)), ones((1, 2, 3, 4)), 'valid'): shape (2, 4, 4, 4).
        var plan = Plan("scipy.signal.correlate", [2, 5, 6, 7], [1, 2, 3, 4], """{"mode": "valid"}""");
        Assert.That((plan.Problem.Batch, plan.Problem.Rank), Is.EqualTo((2, 3)));
        Assert.That(plan.Problem.InputSize, Is.EqualTo(new[] { 5, 6, 7 }));
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 2, 4, 4, 4 }));
    }

    [Test]
    public void More_than_three_axes_after_the_broadcast_ones_are_unsupported() =>
        // scipy.signal.fftconvolve(ones((2, 3, 4, 4, 4, 4)), ones((1, 3, 2, 2, 2, 2)), axes=[2, 3, 4, 5]): shape
        // (2, 3, 5, 5, 5, 5); four convolved axes are more than a problem holds.
        Assert.That(
            () =>
                Plan("scipy.signal.fftconvolve", [2, 3, 4, 4, 4, 4], [1, 3, 2, 2, 2, 2], """{"axes": [2, 3, 4, 5]}"""),
            Throws
                .TypeOf<UnsupportedCallException>()
                .With.Message.EqualTo(
                    "scipy.signal.fftconvolve: argument 'in2': shape [1, 3, 2, 2, 2, 2] needs 4 spatial axes after "
                        + "the broadcast ones; at most 3 are handled"
                )
        );

    [Test]
    public void More_than_three_axes_needing_the_kernel_are_unsupported() =>
        Assert.That(
            () => Plan("scipy.signal.convolve", [5, 3, 3, 3, 3], [1, 2, 2, 2, 2]),
            Throws
                .TypeOf<UnsupportedCallException>()
                .With.Message.EqualTo(
                    "scipy.signal.convolve: argument 'in2': shape [1, 2, 2, 2, 2] needs 4 spatial axes; "
                        + "at most 3 are handled"
                )
        );

    /// <summary>Shapes whose signals or channels a ConvProblem cannot count (more than int.MaxValue): unsupported by
    /// name. The libraries would answer them, memory permitting; the planner threw OverflowException.</summary>
    [TestCase(
        "scipy.ndimage.correlate",
        new[] { 65536, 65536, 5 },
        new[] { 1, 1, 3 },
        "{}",
        "input",
        "its 2 leading axes (kernel extent 1) hold more than 2147483647 signals; a ConvProblem's batch is an int"
    )]
    [TestCase(
        "scipy.signal.fftconvolve",
        new[] { 65536, 65536, 5 },
        new[] { 65536, 65536, 3 },
        """{"axes": [2]}""",
        "axes",
        "the broadcast axes hold more than 2147483647 signals"
    )]
    [TestCase(
        "scipy.signal.fftconvolve",
        new[] { 65536, 1, 5 },
        new[] { 65536, 65536, 3 },
        """{"axes": [2]}""",
        "axes",
        "65536 groups of 65536 banks are more than 2147483647 output channels"
    )]
    public void Counts_past_an_int_are_unsupported_by_name(
        string call,
        int[] in1,
        int[] in2,
        string kwargs,
        string argument,
        string message
    )
    {
        var refusal = Assert.Throws<UnsupportedCallException>(() => Plan(call, in1, in2, kwargs));
        Assert.That(refusal!.Argument, Is.EqualTo(argument));
        Assert.That(refusal.Message, Does.EndWith(message));
    }
}
