using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>
/// scipy.signal's plans where the committed fixtures leave a rule unpinned: the method's error bound, the boundary
/// of convolve2d/correlate2d in 'valid' mode, fftconvolve/oaconvolve's 'axes' (broadcast axes as groups and banks,
/// and each refusal by name), and the explanations. Each shape or refusal below is what scipy 1.10.1 (the version
/// the fixtures were generated with) answered for the same call on arrays of ones, as the comment says.
/// </summary>
public sealed class ScipySignalConventionTests
{
    private static ConvPlan Plan(string call, int[] in1, int[] in2, string kwargs = "{}") =>
        ConventionRegistry.Plan(call, [in1, in2], JsonNode.Parse(kwargs)!.AsObject());

    [Test]
    public void Fftconvolve_valid_drops_axes_where_an_array_has_extent_one_without_axes_too()
    {
        // scipy.signal.fftconvolve(a, b, 'valid') with a = [[1], [2], [3], [4]], b = [[1, 2, 3], [4, 5, 6]]
        // answers [[6, 9, 12], [11, 16, 21], [16, 23, 30]] (oaconvolve the same): scipy leaves axes of extent 1
        // to broadcasting before it checks the 'valid' sizes, whether 'axes' is given or not.
        float[] expected = [6, 9, 12, 11, 16, 21, 16, 23, 30];
        foreach (string call in new[] { "scipy.signal.fftconvolve", "scipy.signal.oaconvolve" })
        {
            var plan = Plan(call, [4, 1], [2, 3], """{"mode": "valid"}""");
            Assert.That(plan.ResultShape, Is.EqualTo(new[] { 3, 3 }));
            var (x, w) = plan.Operands(
                new Tensor(new float[] { 1, 2, 3, 4 }, 4, 1),
                new Tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3),
                "in1",
                "in2"
            );
            var answer = plan.Result(new ReferenceEngine().Forward(plan.Problem, x, w));
            Assert.That(answer.Span.ToArray(), Is.EqualTo(expected), call);
        }
        // scipy.signal.correlate(ones((4, 1)), ones((2, 3)), 'valid'): ValueError: For 'valid' mode, one must be at
        // least as large as the other in every dimension (only the FFT functions drop those axes).
        Assert.That(
            () => Plan("scipy.signal.correlate", [4, 1], [2, 3], """{"mode": "valid"}"""),
            Throws.InstanceOf<InvalidCallException>().With.Message.Contain("in every dimension")
        );
    }

    [Test]
    public void Valid_with_axes_checks_the_convolved_axes_only()
    {
        // scipy.signal.fftconvolve(ones((4, 1)), ones((2, 3)), 'valid', axes=[0, 1]): shape (3, 3).
        Assert.That(
            Plan("scipy.signal.fftconvolve", [4, 1], [2, 3], """{"mode": "valid", "axes": [0, 1]}""").ResultShape,
            Is.EqualTo(new[] { 3, 3 })
        );
        // scipy.signal.fftconvolve(ones((2, 8, 3)), ones((1, 3, 5)), 'valid', axes=[1, 2]): ValueError: For 'valid'
        // mode, one must be at least as large as the other in every dimension.
        Assert.That(
            () => Plan("scipy.signal.fftconvolve", [2, 8, 3], [1, 3, 5], """{"mode": "valid", "axes": [1, 2]}"""),
            Throws
                .InstanceOf<InvalidCallException>()
                .With.Message.EqualTo(
                    "scipy.signal.fftconvolve: in 'valid' mode one of in1 [2, 8, 3] and in2 [1, 3, 5] must be at "
                        + "least as large as the other in every convolved dimension."
                )
        );
    }

    [Test]
    public void Axes_on_arrays_of_different_ranks_are_refused_as_scipy_does()
    {
        // scipy.signal.fftconvolve(ones((4, 5)), ones(3), 'valid', axes=[1]): ValueError: in1 and in2 should have
        // the same dimensionality.
        foreach (string mode in new[] { "valid", "full" })
            Assert.That(
                () => Plan("scipy.signal.fftconvolve", [4, 5], [3], $$"""{"mode": "{{mode}}", "axes": [1]}"""),
                Throws.InstanceOf<InvalidCallException>().With.Message.Contain("same number of dimensions"),
                mode
            );
    }
}
