using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Judging;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>A problem's bias: one value per channel of the forward and transposed-convolution results, in the
/// problem's equality, in every engine, and in the judge's bound.</summary>
public sealed class BiasTests
{
    private static ConvProblem Problem(bool bias, int groups = 1) =>
        new(
            new ConvProblemSpec
            {
                Batch = 2,
                InChannels = 4,
                OutChannels = 6,
                InputSize = [7, 5],
                KernelSize = [3, 2],
                PadBefore = [1, 0],
                PadAfter = [0, 1],
                Stride = [2, 1],
                Groups = groups,
                Bias = bias,
            }
        );

    [Test]
    public void Bias_is_part_of_the_problem_value()
    {
        var with = Problem(bias: true);
        Assert.Multiple(() =>
        {
            Assert.That(with, Is.Not.EqualTo(Problem(bias: false)));
            Assert.That(with, Is.EqualTo(Problem(bias: true)));
            Assert.That(with.GetHashCode(), Is.EqualTo(Problem(bias: true).GetHashCode()));
            Assert.That(new ConvProblem(with.ToSpec()), Is.EqualTo(with));
            Assert.That(with.WithBias(false), Is.EqualTo(Problem(bias: false)));
            Assert.That(with.ToString(), Does.EndWith(" bias"));
            Assert.That(with.BiasShape(ConvOperation.Forward), Is.EqualTo(new[] { 6 }));
            Assert.That(with.BiasShape(ConvOperation.GradInput), Is.EqualTo(new[] { 4 }));
            Assert.That(with.BiasShape(ConvOperation.GradWeights), Is.Null);
            Assert.That(Problem(bias: false).BiasShape(ConvOperation.Forward), Is.Null);
            Assert.That(
                with.ProductsPerResult(ConvOperation.Forward),
                Is.EqualTo(Problem(bias: false).ProductsPerResult(ConvOperation.Forward) + 1)
            );
        });
    }

    [Test]
    public void Run_requires_the_bias_exactly_where_the_operation_takes_one()
    {
        var engine = new ReferenceEngine();
        var with = Problem(bias: true);
        var x = RandomProblems.Tensor(with.InputShape, 1);
        var w = RandomProblems.Tensor(with.WeightShape, 2);
        var b = RandomProblems.Tensor([6], 3);
        Assert.Multiple(() =>
        {
            Assert.That(
                () => engine.Run(with, ConvOperation.Forward, x, w),
                Throws.ArgumentException.With.Message.Contains("adds a bias; none was given")
            );
            Assert.That(
                () => engine.Run(Problem(bias: false), ConvOperation.Forward, x, w, b),
                Throws.ArgumentException.With.Message.Contains("takes no bias")
            );
            Assert.That(
                () => engine.Run(with, ConvOperation.Forward, x, w, RandomProblems.Tensor([4], 3)),
                Throws.ArgumentException.With.Message.Contains("bias")
            );
        });
    }

    /// <summary>Every engine's biased forward and transposed convolution is its unbiased answer plus b per channel,
    /// within the bound of the reference engine's biased answer.</summary>
    [TestCase(ConvOperation.Forward, 1)]
    [TestCase(ConvOperation.Forward, 2)]
    [TestCase(ConvOperation.GradInput, 1)]
    [TestCase(ConvOperation.GradInput, 2)]
    public void Every_engine_adds_the_bias_per_channel(ConvOperation operation, int groups)
    {
        var problem = Problem(bias: true, groups);
        var (firstShape, secondShape) = problem.OperandShapes(operation);
        var first = RandomProblems.Tensor(firstShape, 11);
        var second = RandomProblems.Tensor(secondShape, 12);
        var bias = RandomProblems.Tensor(problem.BiasShape(operation)!, 13).Map(v => 100 * v);
        var plan = new ConvPlan(
            "test",
            problem,
            operation,
            problem.ResultShape(operation),
            ReferenceAlgorithm.Direct,
            "test"
        );
        var expected = new ReferenceEngine().Run(problem, operation, first, second, bias);
        var unbiased = new ReferenceEngine().Run(problem.WithBias(false), operation, first, second);
        int plane = expected.Length / (problem.Batch * bias.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.That(
                expected.Span[i],
                Is.EqualTo(unbiased.Span[i] + bias.Span[i / plane % bias.Length]).Within(1e-3),
                $"reference element {i}"
            );
        var bound = ErrorBound.For(plan, first, second, expected, bias: bias);
        foreach (string name in Repository.Engines.Names)
        {
            var verdict = bound.Judge(Repository.Engines.Create(name).Run(problem, operation, first, second, bias));
            Assert.That(verdict.Passed, Is.True, $"{name}: {verdict}");
        }
        // An engine that forgets the bias fails by far.
        var forgot = bound.Judge(unbiased, findCause: false);
        Assert.That(forgot.Passed, Is.False, forgot.ToString());
    }

    /// <summary>y = sum + b is one more rounding: the bound counts |b| in S and one more term in n.</summary>
    [Test]
    public void The_bound_includes_the_bias_magnitude()
    {
        var problem = Problem(bias: true);
        var x = RandomProblems.Tensor(problem.InputShape, 21);
        var w = RandomProblems.Tensor(problem.WeightShape, 22);
        var zero = Tensor.Zeros(6);
        var large = Tensor.Zeros(6).Map(_ => -1e4f);
        var plan = new ConvPlan(
            "test",
            problem,
            ConvOperation.Forward,
            problem.OutputShape,
            ReferenceAlgorithm.Direct,
            "test"
        );
        var engine = new ReferenceEngine();
        var expectedZero = engine.Forward(problem, x, w, zero);
        var expectedLarge = engine.Forward(problem, x, w, large);
        var withZero = ErrorBound.For(plan, x, w, expectedZero, bias: zero);
        var withLarge = ErrorBound.For(plan, x, w, expectedLarge, bias: large);
        long n = problem.ProductsPerResult(ConvOperation.Forward);
        double gamma = n * ErrorBound.UnitRoundoff / (1 - n * ErrorBound.UnitRoundoff);
        for (int i = 0; i < expectedZero.Length; i++)
            Assert.That(
                withLarge.At(i) - withZero.At(i),
                Is.GreaterThanOrEqualTo(2 * gamma * 1e4),
                $"element {i}: the bound grows with |b|"
            );
    }
}
