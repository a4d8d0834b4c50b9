using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ConvParity.Python;
using ConvParity.Tensors;
using Python.Runtime;

// Prints how long embedded Python takes to start and what moving arrays costs, each way, next to
// the floor (a managed copy of the same bytes, measured in the same run) and to the naive path
// (element by element through Python floats).
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var clock = Stopwatch.StartNew();
if (!LiveReference.TryStart(out var live, out string? reason))
{
    Console.Error.WriteLine(reason);
    return 2;
}
double startLive = clock.Elapsed.TotalMilliseconds;
clock.Restart();
string? scipy = live!.Unavailable("scipy.signal.correlate");
double importScipy = clock.Elapsed.TotalMilliseconds;

Console.WriteLine($"embedded {live.Runtime}");
Console.WriteLine();
Console.WriteLine("start-up (once per process)");
Console.WriteLine($"  find + start Python + import numpy   {live.Runtime.Startup.TotalMilliseconds, 9:F1} ms");
Console.WriteLine($"  ... + load ConvParity's module       {startLive, 9:F1} ms");
Console.WriteLine(
    $"  import scipy.signal (first use)      {importScipy, 9:F1} ms{(scipy is null ? "" : $"  ({scipy})")}"
);
Console.WriteLine();

Console.WriteLine("array transfer, float32, median of repeats (ms per MB; GB/s)");
Console.WriteLine(
    $"  {"size", 8} {"to numpy", 18} {"from numpy", 18} {"managed copy (floor)", 22} {"to/floor", 9} {"from/floor", 11}"
);
foreach (int megabytes in new[] { 1, 16, 64 })
{
    int count = megabytes * (1 << 20) / sizeof(float);
    var data = new float[count];
    for (int i = 0; i < count; i++)
        data[i] = i * 1e-3f;
    int repeats = megabytes >= 64 ? 9 : 25;

    // Interleaved, so that a change in the machine's load affects the three alike.
    var (to, from, floor) = live.Runtime.Run(
        "bench",
        () =>
        {
            using var array = NumpyArrays.ToNumpy<float>(data, [count]);
            var times = new double[3][];
            for (int k = 0; k < 3; k++)
                times[k] = new double[repeats];
            for (int i = -1; i < repeats; i++) // i = -1 warms up
            {
                double t0 = Time(() => NumpyArrays.ToNumpy<float>(data, [count]).Dispose());
                double t1 = Time(() => NumpyArrays.FromNumpy<float>(array, out _));
                double t2 = Time(() => data.AsSpan().CopyTo(GC.AllocateUninitializedArray<float>(count)));
                if (i >= 0)
                    (times[0][i], times[1][i], times[2][i]) = (t0, t1, t2);
            }
            return (Middle(times[0]), Middle(times[1]), Middle(times[2]));
        }
    );
    Console.WriteLine(
        $"  {megabytes, 5} MB {PerMb(to, megabytes), 18} {PerMb(from, megabytes), 18} {PerMb(floor, megabytes), 22} "
            + $"{to / floor, 9:F2} {from / floor, 11:F2}"
    );
}
Console.WriteLine();

// The naive path: one Python float per element, then numpy.array(list). 1 MB only: it is slow.
{
    int count = (1 << 20) / sizeof(float);
    var data = Enumerable.Range(0, count).Select(i => i * 1e-3f).ToArray();
    double naive = Median(
        3,
        () =>
            live.Runtime.Run(
                "naive",
                () =>
                {
                    using var numpy = Py.Import("numpy");
                    using var list = new PyList();
                    foreach (float v in data)
                        using (var item = new PyFloat(v))
                            list.Append(item);
                    numpy.InvokeMethod("array", list, new PyString("float32")).Dispose();
                }
            )
    );
    double buffer = Median(
        21,
        () => live.Runtime.Run("bench", () => NumpyArrays.ToNumpy<float>(data, [count]).Dispose())
    );
    Console.WriteLine(
        $"naive element-by-element to numpy, 1 MB: {naive:F1} ms, "
            + $"{naive / buffer:F0} x the buffer-protocol path ({buffer:F3} ms)"
    );
}

// A whole live call on a small problem: transfer both ways, the call, the GIL.
{
    var call = new LibraryCall(
        "numpy.convolve",
        ["a", "v"],
        [new Tensor(new float[64], 64), new Tensor(new float[5], 5)],
        new JsonObject { ["mode"] = "same" }
    );
    double one = Median(201, () => live.Answer(call));
    Console.WriteLine($"one live numpy.convolve call (64 x 5, 'same'), end to end: {one * 1000:F0} us");
}
return 0;

static double Time(Action body)
{
    long start = Stopwatch.GetTimestamp();
    body();
    return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

static double Middle(double[] times)
{
    Array.Sort(times);
    return times[times.Length / 2];
}

static double Median(int repeats, Action body)
{
    body(); // warm up
    var times = new double[repeats];
    for (int i = 0; i < repeats; i++)
        times[i] = Time(body);
    return Middle(times);
}

static string PerMb(double milliseconds, int megabytes) =>
    $"{milliseconds / megabytes:F3} ({megabytes / 1024.0 / (milliseconds / 1000):F1} GB/s)";
