using System.Text.Json.Nodes;
using ConvParity.Cli;
using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Explaining;
using ConvParity.Fixtures;
using ConvParity.Problems;
using ConvParity.Tensors;
using NumSharp;

namespace ConvParity.Tests;

/// <summary><c>convparity explain</c> on the question's data and on the anchor confusion between scipy's correlate and
/// correlate2d.</summary>
public sealed class ExplainTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("convparity-explain-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string Save(string name, Tensor tensor)
    {
        string path = Path.Combine(_folder, name);
        np.save(path, TensorInterop.AsNDArray(tensor));
        return path;
    }

    private static (int Code, string Output) Explain(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        int code = CommandLine.Run(["explain", .. args], output, errors);
        return (code, output + errors.ToString());
    }

    private static IReadOnlyDictionary<string, FixtureArray> Seed(string file, params string[] names) =>
        NpzFile.Read(Path.Combine(Repository.Fixtures, "seed", file), names);

    [Test]
    public void The_cuDNN_answer_is_a_true_convolution_valid()
    {
        // The question's x0, w0 and the value cuDNN printed, as a plain scalar .npy.
        var seed = Seed("0000.npz", "img", "kerns", "expected");
        var y = seed["expected"].Tensor.Reshape();
        var (code, text) = Explain(
            "--input",
            Save("x.npy", seed["img"].Tensor),
            "--kernel",
            Save("w.npy", seed["kerns"].Tensor),
            "--output",
            Save("y.npy", y)
        );

        Assert.That(code, Is.EqualTo(ExitCodes.Passed), text);
        var lines = text.Split('\n');
        int first = Array.FindIndex(lines, l => l.StartsWith("y is reproduced", StringComparison.Ordinal));
        Assert.That(
            lines[first + 1].Trim(),
            Does.StartWith("true convolution (kernel flipped), valid (no padding):"),
            text
        );
        Assert.That(
            text,
            Does.Contain("theano.tensor.nnet.conv2d(x, w, border_mode='valid', subsample=(1, 1), filter_flip=True)")
        );
        Assert.That(text, Does.Contain("scipy.signal.convolve(x, w, mode='valid', method='direct')"));
        Assert.That(text, Does.Contain("numpy.sum(x*w[..., ::-1, ::-1])"));
        Assert.That(text, Does.Not.Contain("  correlation (kernel not flipped), valid"));
    }

    [Test]
    public void The_numpy_sum_answer_is_a_correlation_valid()
    {
        // Real Theano conv2d with filter_flip=False on the same data gave numpy.sum(x*w)'s -0.097668208.
        var seed = Seed("0002.npz", "input", "filters", "expected");
        var (code, text) = Explain(
            "--input",
            Save("x.npy", seed["input"].Tensor),
            "--kernel",
            Save("w.npy", seed["filters"].Tensor),
            "--output",
            Save("y.npy", seed["expected"].Tensor)
        );

        Assert.That(code, Is.EqualTo(ExitCodes.Passed), text);
        var lines = text.Split('\n');
        int first = Array.FindIndex(lines, l => l.StartsWith("y is reproduced", StringComparison.Ordinal));
        Assert.That(
            lines[first + 1].Trim(),
            Does.StartWith("correlation (kernel not flipped), valid (no padding):"),
            text
        );
        Assert.That(text, Does.Contain("numpy.sum(x*w)").And.Contain("filter_flip=False"));
        Assert.That(text, Does.Not.Contain("  true convolution (kernel flipped), valid"));
    }

    [Test]
    public void A_correlate_same_output_read_as_correlate2d_is_one_element_off()
    {
        var (x, w) = (Random([9, 8], seed: 3), Random([4, 4], seed: 4));
        var y = Answer("scipy.signal.correlate", x, w, new JsonObject { ["mode"] = "same", ["method"] = "direct" });

        var (code, text) = Explain(
            "--input",
            Save("x.npy", x),
            "--kernel",
            Save("w.npy", w),
            "--output",
            Save("y.npy", y),
            "--call",
            "scipy.signal.correlate2d",
            "--kwargs",
            """{"mode": "same"}"""
        );

        Assert.That(code, Is.EqualTo(ExitCodes.Passed), text);
        Assert.That(text, Does.Contain("y is NOT what scipy.signal.correlate2d(mode=\"same\") gives"));
        Assert.That(text, Does.Contain("the same call with one change reproduces y (1 such change):"));
        Assert.That(
            text,
            Does.Contain(
                "window shifted by -1 on every spatial axis (the 'same' anchor, "
                    + "a pad or the stride phase is off by one)"
            )
        );
        Assert.That(text, Does.Contain("scipy.signal.correlate(x, w, mode='same', method='direct')"));
    }

    [Test]
    public void A_channels_last_strided_same_convolution_is_found_with_its_layouts()
    {
        // TensorFlow-style: NHWC data, HWIO kernel, stride 2, 'SAME' (pad 0 before, 1 after for 8 -> 4).
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 2,
                OutChannels = 3,
                InputSize = [8, 8],
                KernelSize = [3, 3],
                PadBefore = [0, 0],
                PadAfter = [1, 1],
                Stride = [2, 2],
            }
        );
        var x = Random([1, 2, 8, 8], seed: 5);
        var w = Random([3, 2, 3, 3], seed: 6);
        var y = new ReferenceEngine().Forward(problem, x, w);
        var nhwc = new ArrayView([1, 8, 8, 2], [0, 3, 1, 2]);
        var hwio = new ArrayView([3, 3, 2, 3], [3, 2, 0, 1]);
        var yNhwc = new ArrayView([1, 4, 4, 3], [0, 3, 1, 2]);

        var (code, text) = Explain(
            "--input",
            Save("x.npy", nhwc.FromCanonical(x, [1, 8, 8, 2])),
            "--kernel",
            Save("w.npy", hwio.FromCanonical(w, [3, 3, 2, 3])),
            "--output",
            Save("y.npy", yNhwc.FromCanonical(y, [1, 4, 4, 3]))
        );

        Assert.That(code, Is.EqualTo(ExitCodes.Passed), text);
        Assert.That(
            text,
            Does.Contain(
                "correlation (kernel not flipped), pads before/after 0/1, 0/1, stride 2x2, "
                    + "data (N, spatial..., C), kernel (spatial..., in, out)"
            )
        );
    }

    [Test]
    public void Noise_matches_nothing_and_the_closest_convention_is_named()
    {
        var (code, text) = Explain(
            "--input",
            Save("x.npy", Random([6, 6], seed: 7)),
            "--kernel",
            Save("w.npy", Random([3, 3], seed: 8)),
            "--output",
            Save("y.npy", Random([4, 4], seed: 9))
        );

        Assert.That(code, Is.EqualTo(ExitCodes.Failed), text);
        Assert.That(text, Does.Contain("no convention reproduces y within the float32 bound."));
        Assert.That(text, Does.Contain("closest: "));
    }

    [Test]
    public void Json_gives_the_candidates_their_calls_their_distance_and_what_was_not_tried()
    {
        var seed = Seed("0000.npz", "img", "kerns", "expected");
        var output = new StringWriter();
        int code = CommandLine.Run(
            [
                "explain",
                "--input",
                Save("x.npy", seed["img"].Tensor),
                "--kernel",
                Save("w.npy", seed["kerns"].Tensor),
                "--output",
                Save("y.npy", seed["expected"].Tensor.Reshape()),
                "--json",
            ],
            output,
            new StringWriter()
        );

        Assert.That(code, Is.EqualTo(ExitCodes.Passed), output.ToString());
        var json = JsonNode.Parse(output.ToString())!;
        Assert.That(json["found"]!.GetValue<bool>(), Is.True);
        var best = json["matches"]![0]!;
        Assert.That(
            best["convention"]!.GetValue<string>(),
            Does.StartWith("true convolution (kernel flipped), valid (no padding)")
        );
        Assert.That(best["error_over_bound"]!.GetValue<double>(), Is.LessThan(1));
        Assert.That(best["settings"]!["flip"]!.GetValue<bool>(), Is.True);
        Assert.That(
            best["calls"]!.AsArray().Select(c => c!.GetValue<string>()),
            Does.Contain("theano.tensor.nnet.conv2d(x, w, border_mode='valid', subsample=(1, 1), filter_flip=True)")
        );
        Assert.That(
            json["not_tried"]!.AsArray().Select(n => n!.GetValue<string>()),
            Has.Some.Contains("more complex than the simplest match")
        );
    }

    [Test]
    public void A_spent_time_budget_stops_the_search_and_says_what_was_not_tried()
    {
        var seed = Seed("0000.npz", "img", "kerns", "expected");
        var (code, text) = Explain(
            "--input",
            Save("x.npy", seed["img"].Tensor),
            "--kernel",
            Save("w.npy", seed["kerns"].Tensor),
            "--output",
            Save("y.npy", seed["expected"].Tensor.Reshape()),
            "--timeout",
            "0.000001"
        );

        Assert.That(code, Is.EqualTo(ExitCodes.Failed), text);
        Assert.That(text, Does.Contain("not tried: the time budget (1E-06 s, --timeout) ran out"));
    }

    [Test]
    public void A_convention_above_the_memory_budget_is_not_run_whole_nor_named()
    {
        var seed = Seed("0000.npz", "img", "kerns", "expected");
        var (code, text) = Explain(
            "--input",
            Save("x.npy", seed["img"].Tensor),
            "--kernel",
            Save("w.npy", seed["kerns"].Tensor),
            "--output",
            Save("y.npy", seed["expected"].Tensor.Reshape()),
            "--max-memory",
            "1K"
        );

        Assert.That(code, Is.EqualTo(ExitCodes.Failed), text);
        Assert.That(text, Does.Contain("take more than the memory budget (1,024 bytes) to run whole: not named"));
    }

    [TestCase("--timeout", "-1", "explain: --timeout '-1' is not a number of seconds above 0")]
    [TestCase("--timeout", "soon", "explain: --timeout 'soon' is not a number of seconds above 0")]
    [TestCase("--max-memory", "lots", "explain: --max-memory: ")]
    public void A_bad_budget_is_named(string option, string value, string message)
    {
        var (code, text) = Explain("--input", "x.npy", "--kernel", "w.npy", "--output", "y.npy", option, value);
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments), text);
        Assert.That(text, Does.Contain(message));
    }

    [Test]
    public void A_missing_file_is_named()
    {
        var (code, text) = Explain(
            "--input",
            Path.Combine(_folder, "nope.npy"),
            "--kernel",
            "w.npy",
            "--output",
            "y.npy"
        );
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(text, Does.Contain("nope.npy: missing .npy file"));
    }

    /// <summary>The library's answer as our reference engine gives it under the library's convention (proven against
    /// the real library by the fixtures).</summary>
    private static Tensor Answer(string call, Tensor first, Tensor second, JsonObject kwargs)
    {
        var plan = ConventionRegistry.Plan(call, [first.ShapeArray(), second.ShapeArray()], kwargs);
        var (a, b) = plan.Operands(first, second, "first", "second");
        return plan.Result(new ReferenceEngine().Run(plan.Problem, plan.Operation, a, b));
    }

    private static Tensor Random(int[] shape, int seed)
    {
        var random = new Random(seed);
        var data = new float[shape.Aggregate(1, (n, s) => n * s)];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)(random.NextDouble() * 2 - 1);
        return new Tensor(data, shape);
    }
}
