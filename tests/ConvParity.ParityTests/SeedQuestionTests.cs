using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Problems;

namespace ConvParity.Tests;

/// <summary>The question the project started from, answered with its own data (x0, w0 from fixtures/seed).</summary>
public sealed class SeedQuestionTests
{
    private static (ConvParity.Tensors.Tensor X, ConvParity.Tensors.Tensor W) QuestionData()
    {
        var arrays = NpzFile.Read(Path.Combine(Repository.Fixtures, "seed", "0000.npz"), ["img", "kerns"]);
        return (arrays["img"].Tensor, arrays["kerns"].Tensor);
    }

    private static float Valid6x6(bool flip)
    {
        var (x, w) = QuestionData();
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 1,
                OutChannels = 1,
                InputSize = [6, 6],
                KernelSize = [6, 6],
                Flip = flip,
            }
        );
        return new ReferenceEngine().Forward(problem, x, w).Span[0];
    }

    [Test]
    public void True_convolution_gives_the_cuDNN_value() =>
        Assert.That(Valid6x6(flip: true), Is.EqualTo(-0.04749081f).Within(1e-8f));

    [Test]
    public void Correlation_gives_numpy_sum_of_x_times_w() =>
        Assert.That(Valid6x6(flip: false), Is.EqualTo(-0.097668208f).Within(1e-8f));

    [Test]
    public void Theano_conv2d_without_filter_flip_flips_as_Theano_does()
    {
        // Theano's conv2d flips by default: left out, filter_flip must give the cuDNN value, not numpy's sum.
        var (x, w) = QuestionData();
        var plan = Conventions.ConventionRegistry.Plan(
            "theano.tensor.nnet.conv2d",
            [
                [1, 1, 6, 6],
                [1, 1, 6, 6],
            ],
            new System.Text.Json.Nodes.JsonObject { ["border_mode"] = "valid" }
        );
        var (a, b) = plan.Operands(x, w, "input", "filters");
        float answer = plan.Result(new ReferenceEngine().Run(plan.Problem, plan.Operation, a, b)).Span[0];
        Assert.That(answer, Is.EqualTo(-0.04749081f).Within(1e-8f));
    }
}
