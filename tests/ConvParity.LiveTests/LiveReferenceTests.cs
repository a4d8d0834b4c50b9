using System.Text.Json.Nodes;
using ConvParity.Python;
using ConvParity.Tensors;
using Python.Runtime;

namespace ConvParity.Tests.Live;

/// <summary>The embedded runtime, array transfer, errors and threading of <see cref="LiveReference"/>.</summary>
[Category("Live")]
public sealed class LiveReferenceTests
{
    private static LibraryCall Call(string call, JsonObject kwargs, params (string Name, float[] Values)[] args) =>
        new(call, [.. args.Select(a => a.Name)], [.. args.Select(a => new Tensor(a.Values, a.Values.Length))], kwargs);

    [TestCase(new int[0])]
    [TestCase(new[] { 0 })]
    [TestCase(new[] { 5 })]
    [TestCase(new[] { 2, 3, 4 })]
    [TestCase(new[] { 1, 2, 1, 3, 2 })]
    public void Float32_and_float64_arrays_cross_unchanged_both_ways(int[] shape)
    {
        var live = LivePython.Reference();
        int count = shape.Aggregate(1, (a, b) => a * b);
        float[] singles = [.. Enumerable.Range(0, count).Select(i => i * 0.37f - 3.5f)];
        double[] doubles = [.. singles.Select(v => v + 1e-12 * v)];
        live.Runtime.Run(
            "round trip",
            () =>
            {
                using var one = NumpyArrays.ToNumpy<float>(singles, shape);
                using var two = NumpyArrays.ToNumpy<double>(doubles, shape);
                Assert.That(NumpyArrays.DTypeOf(one), Is.EqualTo("float32"));
                Assert.That(NumpyArrays.DTypeOf(two), Is.EqualTo("float64"));
                Assert.That(one.GetAttr("shape").As<long[]>(), Is.EqualTo(shape.Select(d => (long)d)));
                Assert.That(NumpyArrays.FromNumpy<float>(one, out var shapeOne), Is.EqualTo(singles));
                Assert.That(NumpyArrays.FromNumpy<double>(two, out var shapeTwo), Is.EqualTo(doubles));
                Assert.That(shapeOne, Is.EqualTo(shape));
                Assert.That(shapeTwo, Is.EqualTo(shape));
            }
        );
    }

    [Test]
    public void Values_reach_numpy_in_row_major_order()
    {
        var live = LivePython.Reference();
        float[] values = [1, 2, 3, 4, 5, 6];
        double element = live.Runtime.Run(
            "index",
            () =>
            {
                using var array = NumpyArrays.ToNumpy<float>(values, [2, 3]);
                using var index = new PyTuple([new PyInt(1), new PyInt(0)]);
                return array[index].InvokeMethod("item").As<double>();
            }
        );
        Assert.That(element, Is.EqualTo(4.0));
    }

    [Test]
    public void A_wrong_dtype_or_a_strided_view_is_refused_by_name()
    {
        var live = LivePython.Reference();
        live.Runtime.Run(
            "refusals",
            () =>
            {
                using var doubles = NumpyArrays.ToNumpy<double>([1.0, 2.0, 3.0, 4.0], [4]);
                Assert.That(
                    () => NumpyArrays.FromNumpy<float>(doubles, out _),
                    Throws.ArgumentException.With.Message.Contains("float64")
                );
                using var whole = NumpyArrays.ToNumpy<float>(new float[8], [8]);
                using var strided = whole.InvokeMethod("__getitem__", PySlice(0, 8, 2));
                Assert.That(
                    () => NumpyArrays.FromNumpy<float>(strided, out _),
                    Throws.ArgumentException.With.Message.Contains("C-contiguous")
                );
            }
        );
    }

    private static PyObject PySlice(int start, int stop, int step)
    {
        using var builtins = Py.Import("builtins");
        return builtins.InvokeMethod("slice", new PyInt(start), new PyInt(stop), new PyInt(step));
    }

    [Test]
    public void The_library_answers_with_its_own_semantics()
    {
        var live = LivePython.Reference();
        var answer = live.Answer(
            Call("numpy.convolve", new JsonObject { ["mode"] = "full" }, ("a", [1, 2, 3]), ("v", [0, 1, 0.5f]))
        );
        Assert.That(answer.DType, Is.EqualTo("float32"));
        Assert.That(answer.Value.Span.ToArray(), Is.EqualTo(new[] { 0f, 1, 2.5f, 4, 1.5f }));
    }

    [Test]
    public void A_Python_exception_arrives_with_its_type_message_and_traceback()
    {
        var live = LivePython.ReferenceFor("scipy.signal.correlate");
        var call = Call(
            "scipy.signal.correlate",
            new JsonObject { ["mode"] = "sideways", ["method"] = "direct" },
            ("in1", [1, 2, 3]),
            ("in2", [1, 2])
        );
        var error = Assert.Throws<PythonCallException>(() => live.Answer(call))!;
        Assert.That(error.Call, Is.EqualTo("scipy.signal.correlate"));
        Assert.That(error.PythonType, Is.EqualTo("ValueError"));
        Assert.That(error.PythonMessage, Does.Contain("mode"));
        Assert.That(error.PythonTraceback, Does.Contain("Traceback").And.Contain("_signaltools.py"));
    }

    [Test]
    public void A_call_no_convention_handles_is_refused_by_name_and_never_imported()
    {
        var live = LivePython.Reference();
        Assert.That(live.Unavailable("numpy.convolve"), Is.Null);
        // Issue 10: a name outside the convention registry never reaches Python's import machinery.
        Assert.That(
            live.Unavailable("convparity_no_such_library.convolve"),
            Does.Contain("is not a call any ConvParity convention handles")
        );
        Assert.That(live.Unavailable("scipy.signal.no_such_function"), Does.Contain("never imported or run"));
        var call = Call("convparity_no_such_library.convolve", [], ("a", [1]), ("v", [1]));
        Assert.That(
            () => live.Answer(call),
            Throws.ArgumentException.With.Message.Contain("no convention handles this call")
        );
    }

    [Test]
    public void Calls_on_many_threads_at_once_agree_with_calls_one_at_a_time()
    {
        var live = LivePython.ReferenceFor("scipy.signal.fftconvolve");
        var calls = Enumerable
            .Range(1, 64)
            .Select(seed =>
                ConvParity.Python.Generation.Catalogue.Draw(
                    seed % 2 == 0 ? "scipy.signal.fftconvolve" : "numpy.correlate",
                    seed
                )
            )
            .ToList();
        var sequential = calls.Select(c => live.Answer(c).Value.Span.ToArray()).ToList();
        var parallel = new float[calls.Count][];
        var finished = Parallel.For(
            0,
            calls.Count,
            new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => parallel[i] = live.Answer(calls[i]).Value.Span.ToArray()
        );
        Assert.That(finished.IsCompleted, Is.True);
        Assert.That(parallel, Is.EqualTo(sequential));
    }

    [Test]
    public void The_environment_names_the_versions()
    {
        var live = LivePython.ReferenceFor("scipy.signal.convolve");
        var environment = live.Environment(["numpy", "scipy"]);
        Assert.That(environment["python"]!.GetValue<string>(), Is.EqualTo(live.Runtime.Version));
        Assert.That(environment["numpy"]!.GetValue<string>(), Does.Match(@"^\d+\.\d+"));
        Assert.That(environment["scipy"]!.GetValue<string>(), Does.Match(@"^\d+\.\d+"));
    }
}
