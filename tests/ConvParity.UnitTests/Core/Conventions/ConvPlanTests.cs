using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>
/// A plan's own members: equality member by member, and the reshapes that carry the library's arrays to the
/// canonical operands and the canonical result back, refusing by name an array of the wrong size. The plan used is
/// numpy.convolve(a[7], v[3]) ('full'), whose canonical operands are input [1, 1, 7] and weight [1, 1, 3].
/// </summary>
public sealed class ConvPlanTests
{
    private static ConvPlan Numpy() =>
        ConventionRegistry.Plan(
            "numpy.convolve",
            [
                [7],
                [3],
            ],
            new JsonObject { ["mode"] = "full" }
        );

    private static ConvPlan WithShape(ConvPlan p, int[] shape) =>
        new(p.Call, p.Problem, p.Operation, shape, p.Algorithm, p.Explanation) { SwapsArguments = p.SwapsArguments };

    private static Tensor Filled(params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        for (int i = 0; i < t.Length; i++)
            t.Span[i] = i + 1;
        return t;
    }

    [Test]
    public void Two_plans_of_the_same_call_are_equal_and_hash_alike()
    {
        ConvPlan first = Numpy(),
            second = Numpy();
        Assert.That(ReferenceEquals(first, second), Is.False);
        Assert.That(first.Equals(second), Is.True);
        Assert.That(first == second, Is.True);
        Assert.That(first.GetHashCode(), Is.EqualTo(second.GetHashCode()));
        Assert.That(first.Equals(first), Is.True);
        Assert.That(first.Equals((ConvPlan?)null), Is.False);
    }

    private static IEnumerable<TestCaseData> OneMemberChanged()
    {
        var p = Numpy();
        yield return new TestCaseData(p with { Call = "numpy.correlate" }).SetArgDisplayNames("Call");
        yield return new TestCaseData(p with { Problem = p.Problem.WithFlip(false) }).SetArgDisplayNames("Problem");
        yield return new TestCaseData(p with { Operation = ConvOperation.GradInput }).SetArgDisplayNames("Operation");
        yield return new TestCaseData(WithShape(p, [3, 3])).SetArgDisplayNames("ResultShape");
        yield return new TestCaseData(p with { Algorithm = ReferenceAlgorithm.Fft }).SetArgDisplayNames("Algorithm");
        yield return new TestCaseData(p with { Explanation = "other" }).SetArgDisplayNames("Explanation");
        yield return new TestCaseData(p with { SwapsArguments = true }).SetArgDisplayNames("SwapsArguments");
    }

    [TestCaseSource(nameof(OneMemberChanged))]
    public void A_plan_differing_in_one_member_is_not_equal_and_hashes_otherwise(ConvPlan changed)
    {
        var plan = Numpy();
        Assert.That(plan.Equals(changed), Is.False);
        Assert.That(changed.Equals(plan), Is.False);
        // Not a contract of GetHashCode, but a hash that ignores a member collides on every plan differing in it.
        Assert.That(changed.GetHashCode(), Is.Not.EqualTo(plan.GetHashCode()));
    }

    [Test]
    public void The_result_shape_is_a_copy_and_is_required()
    {
        int[] shape = [9];
        var plan = WithShape(Numpy(), shape);
        shape[0] = 4;
        Assert.That(plan.ResultShape, Is.EqualTo(new[] { 9 }));
        Assert.That(
            () => WithShape(Numpy(), null!),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("ResultShape")
        );
    }

    [Test]
    public void Operands_are_views_of_the_arrays_in_canonical_shapes()
    {
        var plan = Numpy();
        Assert.That(plan.OperandShapes.First, Is.EqualTo(new[] { 1, 1, 7 }));
        Assert.That(plan.OperandShapes.Second, Is.EqualTo(new[] { 1, 1, 3 }));
        Tensor a = Filled(7),
            v = Filled(3);
        var (input, weight) = plan.Operands(a, v, "a", "v");
        Assert.That(input.Shape, Is.EqualTo(new[] { 1, 1, 7 }));
        Assert.That(weight.Shape, Is.EqualTo(new[] { 1, 1, 3 }));
        Assert.That(input.Data.Equals(a.Data) && weight.Data.Equals(v.Data), Is.True, "reshaped, not copied");
    }

    [Test]
    public void A_plan_that_swaps_arguments_takes_the_second_array_as_the_first_operand()
    {
        var plan = Numpy() with { SwapsArguments = true };
        Tensor weightFirst = Filled(3),
            inputSecond = Filled(7);
        var (input, weight) = plan.Operands(weightFirst, inputSecond, "weight", "grad_output");
        Assert.That(input.Data.Equals(inputSecond.Data), Is.True);
        Assert.That(weight.Data.Equals(weightFirst.Data), Is.True);
        Assert.That(input.Shape, Is.EqualTo(new[] { 1, 1, 7 }));
        Assert.That(weight.Shape, Is.EqualTo(new[] { 1, 1, 3 }));
        Assert.That(
            () => plan.Operands(inputSecond, weightFirst, "weight", "grad_output"),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("grad_output")
        );
    }

    [Test]
    public void An_array_of_the_wrong_size_is_refused_by_name()
    {
        var plan = Numpy();
        Assert.That(
            () => plan.Operands(Filled(7), Filled(2, 2), "a", "v"),
            Throws
                .ArgumentException.With.Property(nameof(ArgumentException.ParamName))
                .EqualTo("v")
                .And.Message.StartsWith("v [2, 2] cannot be viewed as the canonical operand [1, 1, 3].")
        );
        Assert.That(
            () => plan.Operands(Filled(6), Filled(3), "a", "v"),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("a")
        );
        Assert.That(() => plan.Operands(null!, Filled(3), "a", "v"), Throws.ArgumentNullException);
        Assert.That(() => plan.Operands(Filled(7), null!, "a", "v"), Throws.ArgumentNullException);
    }

    [Test]
    public void A_plan_without_bias_takes_two_arrays_and_refuses_a_bias()
    {
        var plan = Numpy();
        Assert.That(plan.ArrayCount, Is.EqualTo(2));
        Assert.That(
            () => plan.BiasOperand(Filled(1), "bias"),
            Throws
                .ArgumentException.With.Property(nameof(ArgumentException.ParamName))
                .EqualTo("bias")
                .And.Message.StartsWith("numpy.convolve takes no bias here; bias was given.")
        );
    }

    [Test]
    public void A_plan_with_bias_takes_three_arrays_and_views_the_bias_per_channel()
    {
        var plan = Numpy() with { Problem = Numpy().Problem.WithBias(true) };
        Assert.That(plan.ArrayCount, Is.EqualTo(3));
        var bias = Filled(1);
        var view = plan.BiasOperand(bias, "b");
        Assert.That(view.Shape, Is.EqualTo(new[] { 1 }));
        Assert.That(view.Data.Equals(bias.Data), Is.True);
        Assert.That(
            () => plan.BiasOperand(Filled(2), "b"),
            Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("b")
        );
        Assert.That(() => plan.BiasOperand(null!, "b"), Throws.ArgumentNullException);
    }

    [Test]
    public void The_result_is_the_canonical_answer_in_the_library_shape()
    {
        var plan = Numpy();
        var canonical = Filled(1, 1, 9);
        var result = plan.Result(canonical);
        Assert.That(result.Shape, Is.EqualTo(new[] { 9 }));
        Assert.That(result.Data.Equals(canonical.Data), Is.True);
        Assert.That(() => plan.Result(null!), Throws.ArgumentNullException);
    }
}
