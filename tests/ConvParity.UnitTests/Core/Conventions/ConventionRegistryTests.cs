using System.Text.Json.Nodes;
using ConvParity.Conventions;

namespace ConvParity.Tests;

/// <summary>
/// The registry's entry points: which calls and how many arrays are let through to Python at all, planning with
/// every keyword argument accounted for, TryPlan's two refusals, and the argument-count and rank checks the
/// conventions share, each naming what is wrong.
/// </summary>
public sealed class ConventionRegistryTests
{
    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Test]
    public void Every_call_belongs_to_exactly_one_convention()
    {
        var calls = ConventionRegistry.Calls.ToList();
        Assert.That(calls, Is.Unique);
        Assert.That(calls, Has.Count.EqualTo(ConventionRegistry.All.Sum(c => c.Calls.Count)));
        Assert.That(calls, Does.Contain("numpy.correlate").And.Contain("scipy.ndimage.convolve1d"));
    }

    [Test]
    public void Refusal_names_a_call_no_convention_handles() =>
        Assert.That(
            ConventionRegistry.Refusal("os.system", 2),
            Is.EqualTo("os.system: no convention handles this call, so it is never imported or run")
        );

    [TestCase("numpy.convolve", 2, null)]
    [TestCase("numpy.convolve", 1, "numpy.convolve: 1 array arguments; it takes 2")]
    [TestCase("numpy.convolve", 3, "numpy.convolve: 3 array arguments; it takes 2")]
    [TestCase("onnx.Conv", 2, null)]
    [TestCase("onnx.Conv", 3, null)]
    [TestCase("onnx.Conv", 1, "onnx.Conv: 1 array arguments; it takes 2 to 3")]
    [TestCase("onnx.Conv", 4, "onnx.Conv: 4 array arguments; it takes 2 to 3")]
    public void Refusal_counts_the_required_and_optional_arrays(string call, int arrays, string? refusal) =>
        Assert.That(ConventionRegistry.Refusal(call, arrays), Is.EqualTo(refusal));

    [Test]
    public void NotLive_names_an_unknown_call_and_a_convention_without_a_live_library()
    {
        Assert.That(
            ConventionRegistry.NotLive("os.system"),
            Is.EqualTo("os.system is not a call any ConvParity convention handles; it is never imported or run")
        );
        Assert.That(ConventionRegistry.NotLive("onnx.Conv"), Does.StartWith("onnx.Conv: ONNX operators are not"));
        Assert.That(ConventionRegistry.NotLive("scipy.ndimage.correlate"), Is.Null);
    }

    [Test]
    public void The_entry_points_refuse_null() =>
        Assert.Multiple(() =>
        {
            Assert.That(() => ConventionRegistry.Refusal(null!, 2), Throws.ArgumentNullException);
            Assert.That(() => ConventionRegistry.NotLive(null!), Throws.ArgumentNullException);
            Assert.That(() => ConventionRegistry.Plan(null!, [], null), Throws.ArgumentNullException);
            Assert.That(() => ConventionRegistry.Plan("numpy.convolve", null!, null), Throws.ArgumentNullException);
            Assert.That(() => ConventionRegistry.Plan("os.system", null!, null), Throws.ArgumentNullException);
        });

    [Test]
    public void Plan_refuses_an_unknown_call_as_unsupported() =>
        Assert.That(
            () =>
                ConventionRegistry.Plan(
                    "os.system",
                    [
                        [1],
                        [1],
                    ],
                    null
                ),
            Throws
                .TypeOf<UnsupportedCallException>()
                .With.Message.EqualTo("os.system: no convention handles this call")
                .And.Property(nameof(UnsupportedCallException.Argument))
                .Null
        );

    [Test]
    public void Plan_without_kwargs_takes_the_defaults() =>
        Assert.That(
            ConventionRegistry
                .Plan(
                    "numpy.correlate",
                    [
                        [5],
                        [3],
                    ],
                    null
                )
                .ResultShape,
            Is.EqualTo(new[] { 3 }),
            "numpy.correlate defaults to mode='valid'"
        );

    [Test]
    public void TryPlan_answers_the_plan()
    {
        bool planned = ConventionRegistry.TryPlan(
            "numpy.convolve",
            [
                [5],
                [3],
            ],
            null,
            out var plan,
            out var refusal
        );
        Assert.That(planned, Is.True);
        Assert.That(refusal, Is.Null);
        Assert.That(
            plan,
            Is.EqualTo(
                ConventionRegistry.Plan(
                    "numpy.convolve",
                    [
                        [5],
                        [3],
                    ],
                    null
                )
            )
        );
    }

    [Test]
    public void TryPlan_answers_a_call_the_library_refuses_with_the_reason()
    {
        bool planned = ConventionRegistry.TryPlan(
            "numpy.convolve",
            [
                [5, 2],
                [3],
            ],
            null,
            out var plan,
            out var refusal
        );
        Assert.That(planned, Is.False);
        Assert.That(plan, Is.Null);
        Assert.That(refusal, Is.EqualTo("numpy.convolve: a has shape [5, 2] (2-D); 1-D expected."));
    }

    [Test]
    public void TryPlan_answers_an_unhandled_argument_with_the_reason()
    {
        bool planned = ConventionRegistry.TryPlan(
            "numpy.convolve",
            [
                [5],
                [3],
            ],
            Json("""{"mode": "full", "dtype": "f"}"""),
            out var plan,
            out var refusal
        );
        Assert.That(planned, Is.False);
        Assert.That(plan, Is.Null);
        Assert.That(refusal, Is.EqualTo("numpy.convolve: argument 'dtype': unknown keyword argument (value \"f\")"));
    }

    [Test]
    public void TryPlan_does_not_swallow_a_programming_error() =>
        Assert.That(
            () => ConventionRegistry.TryPlan("numpy.convolve", null!, null, out _, out _),
            Throws.ArgumentNullException
        );

    [TestCase(1)]
    [TestCase(3)]
    public void A_two_array_call_names_the_count_given(int count) =>
        Assert.That(
            () => ConventionRegistry.Plan("scipy.ndimage.correlate", [.. Enumerable.Repeat(new[] { 4 }, count)], null),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo($"scipy.ndimage.correlate: takes 2 array arguments; {count} given.")
        );

    [Test]
    public void A_rank_refusal_lists_every_rank_allowed() =>
        Assert.That(
            () =>
                ConventionRegistry.Plan(
                    "theano.tensor.signal.conv.conv2d",
                    [
                        [5],
                        [2, 2],
                    ],
                    null
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo("theano.tensor.signal.conv.conv2d: input has shape [5] (1-D); 2 or 3-D expected.")
        );

    [Test]
    public void An_optional_bias_is_taken_when_it_has_one_value_per_output_channel()
    {
        var plan = ConventionRegistry.Plan(
            "onnx.Conv",
            [
                [1, 1, 5],
                [2, 1, 3],
                [2],
            ],
            null
        );
        Assert.That(plan.Problem.Bias, Is.True);
        Assert.That(plan.ArrayCount, Is.EqualTo(3));
        Assert.That(
            ConventionRegistry
                .Plan(
                    "onnx.Conv",
                    [
                        [1, 1, 5],
                        [2, 1, 3],
                    ],
                    null
                )
                .Problem.Bias,
            Is.False
        );
    }

    [TestCase(new[] { 3 }, "[3]")]
    [TestCase(new[] { 2, 1 }, "[2, 1]")]
    public void A_bias_of_another_shape_is_refused_by_name(int[] bias, string shown) =>
        Assert.That(
            () =>
                ConventionRegistry.Plan(
                    "onnx.Conv",
                    [
                        [1, 1, 5],
                        [2, 1, 3],
                        bias,
                    ],
                    null
                ),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Property(nameof(InvalidCallException.Keyword))
                .EqualTo("B")
                .And.Message.EqualTo(
                    $"onnx.Conv: argument 'B': B has shape {shown}; [2] expected (one per output channel)."
                )
        );

    [TestCase(1)]
    [TestCase(4)]
    public void A_call_with_an_optional_bias_names_the_count_given(int count) =>
        Assert.That(
            () => ConventionRegistry.Plan("onnx.Conv", [.. Enumerable.Repeat(new[] { 1, 1, 3 }, count)], null),
            Throws
                .TypeOf<InvalidCallException>()
                .With.Message.EqualTo($"onnx.Conv: takes 2 array arguments and an optional B; {count} given.")
        );
}
