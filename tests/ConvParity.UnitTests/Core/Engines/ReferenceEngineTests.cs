using ConvParity.Engines;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>The reference engine refuses operands that do not fit the problem, in every operation and overload, by
/// the operand's name: an array of the right size but the wrong shape would otherwise be read as if it
/// fitted.</summary>
public sealed class ReferenceEngineTests
{
    private static readonly ConvProblem Problem = new(
        new ConvProblemSpec
        {
            Batch = 2,
            InChannels = 3,
            OutChannels = 4,
            InputSize = [5, 6],
            KernelSize = [2, 3],
            Bias = true,
        }
    );

    /// <summary>The same number of elements as <paramref name="shape"/>, laid out on one axis fewer.</summary>
    private static Tensor Flattened(int[] shape) => Tensor.Zeros([.. shape[..^2], shape[^2] * shape[^1]]);

    private static readonly ReferenceEngine Engine = new();

    public static IEnumerable<TestCaseData> WrongOperands()
    {
        var p = Problem.WithBias(false);
        var (x, w, dy) = (Tensor.Zeros(p.InputShape), Tensor.Zeros(p.WeightShape), Tensor.Zeros(p.OutputShape));
        var (bOut, bIn) = (Tensor.Zeros(Problem.OutChannels), Tensor.Zeros(Problem.InChannels));
        yield return Case("Forward x", "x", () => Engine.Forward(p, Flattened(p.InputShape), w));
        yield return Case("Forward w", "w", () => Engine.Forward(p, x, Flattened(p.WeightShape)));
        yield return Case("GradInput dy", "dy", () => Engine.GradInput(p, Flattened(p.OutputShape), w));
        yield return Case("GradInput w", "w", () => Engine.GradInput(p, dy, Flattened(p.WeightShape)));
        yield return Case("GradWeights x", "x", () => Engine.GradWeights(p, Flattened(p.InputShape), dy));
        yield return Case("GradWeights dy", "dy", () => Engine.GradWeights(p, x, Flattened(p.OutputShape)));
        yield return Case("biased Forward x", "x", () => Engine.Forward(Problem, Flattened(p.InputShape), w, bOut));
        yield return Case(
            "biased GradInput dy",
            "dy",
            () => Engine.GradInput(Problem, Flattened(p.OutputShape), w, bIn)
        );
    }

    private static TestCaseData Case(string name, string operand, Action call) =>
        new TestCaseData(operand, call).SetName($"Reference engine refuses a misshapen operand: {name}");

    [TestCaseSource(nameof(WrongOperands))]
    public void An_operand_of_the_right_size_but_the_wrong_shape_is_refused_by_name(string operand, Action call) =>
        Assert.That(call, Throws.ArgumentException.With.Property(nameof(ArgumentException.ParamName)).EqualTo(operand));
}
