using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Engines;

/// <summary>
/// The engine of truth: plain loops over every term w * ext(x) of the bilinear form, products and
/// sums in double, rounded to float32 once at the end. All three operations visit the same terms;
/// they differ only in which array a term is added to. Obviously correct, not fast.
/// </summary>
public sealed class ReferenceEngine : IConvEngine
{
    /// <summary>The name used on the command line: "cpu-reference".</summary>
    public const string EngineName = "cpu-reference";

    /// <inheritdoc />
    public string Name => EngineName;

    /// <inheritdoc />
    public Tensor Forward(ConvProblem problem, Tensor x, Tensor w)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.Forward, x, w, nameof(x), nameof(w));
        return ToTensor(ForwardSums(problem, x, w), problem.OutputShape);
    }

    /// <inheritdoc />
    public Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.GradInput, dy, w, nameof(dy), nameof(w));
        return ToTensor(GradInputSums(problem, dy, w), problem.InputShape);
    }

    /// <summary>y = conv(x, w) + b per output channel, the bias added to the double sum before its one
    /// rounding.</summary>
    public Tensor Forward(ConvProblem problem, Tensor x, Tensor w, Tensor b)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.Forward, x, w, nameof(x), nameof(w));
        var bias = ConvEngine.RequireBias(problem, ConvOperation.Forward, b);
        return ToTensor(AddBias(ForwardSums(problem, x, w), problem.Batch, bias), problem.OutputShape);
    }

    /// <summary>dx = conv^T(dy, w) + b per channel of dx, the bias added to the double sum before its one
    /// rounding.</summary>
    public Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w, Tensor b)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.GradInput, dy, w, nameof(dy), nameof(w));
        var bias = ConvEngine.RequireBias(problem, ConvOperation.GradInput, b);
        return ToTensor(AddBias(GradInputSums(problem, dy, w), problem.Batch, bias), problem.InputShape);
    }

    private static double[] ForwardSums(ConvProblem problem, Tensor x, Tensor w)
    {
        var sink = new ForwardSink(
            x.Span,
            w.Span,
            problem.Boundary,
            new double[problem.OutputShape.Aggregate(1, (a, b) => a * b)]
        );
        VisitTerms(problem, ref sink);
        return sink.Result;
    }

    private static double[] GradInputSums(ConvProblem problem, Tensor dy, Tensor w)
    {
        var sink = new GradInputSink(dy.Span, w.Span, new double[problem.InputShape.Aggregate(1, (a, b) => a * b)]);
        VisitTerms(problem, ref sink);
        return sink.Result;
    }

    /// <summary>Adds <paramref name="bias"/> per channel to sums laid out (N, channels, spatial...).</summary>
    private static double[] AddBias(double[] sums, int batch, ReadOnlySpan<float> bias)
    {
        int plane = sums.Length / (batch * bias.Length);
        for (int i = 0; i < sums.Length; i++)
            sums[i] += bias[i / plane % bias.Length];
        return sums;
    }

    /// <inheritdoc />
    public Tensor GradWeights(ConvProblem problem, Tensor x, Tensor dy)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.GradWeights, x, dy, nameof(x), nameof(dy));
        var sink = new GradWeightsSink(
            x.Span,
            dy.Span,
            problem.Boundary,
            new double[problem.WeightShape.Aggregate(1, (a, b) => a * b)]
        );
        VisitTerms(problem, ref sink);
        return ToTensor(sink.Result, problem.WeightShape);
    }

    private static Tensor ToTensor(double[] values, int[] shape)
    {
        var data = new float[values.Length];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)values[i];
        return new Tensor(data, shape);
    }

    /// <summary>Receives one term: flat indices into y, w and x (x is -1 where the term reads outside the
    /// input).</summary>
    private interface ITermSink
    {
        void Add(int output, int weight, int input);
    }

    private ref struct ForwardSink(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Boundary boundary, double[] result)
        : ITermSink
    {
        private readonly ReadOnlySpan<float> _x = x,
            _w = w;
        public readonly double[] Result = result;

        public readonly void Add(int output, int weight, int input)
        {
            if (input >= 0)
                Result[output] += (double)_w[weight] * _x[input];
            else if (boundary.Kind == BoundaryKind.Constant)
                Result[output] += (double)_w[weight] * boundary.Value;
        }
    }

    private ref struct GradInputSink(ReadOnlySpan<float> dy, ReadOnlySpan<float> w, double[] result) : ITermSink
    {
        private readonly ReadOnlySpan<float> _dy = dy,
            _w = w;
        public readonly double[] Result = result;

        // A term that reads the constant outside does not depend on x: no contribution to dx.
        public readonly void Add(int output, int weight, int input)
        {
            if (input >= 0)
                Result[input] += (double)_dy[output] * _w[weight];
        }
    }

    private ref struct GradWeightsSink(
        ReadOnlySpan<float> x,
        ReadOnlySpan<float> dy,
        Boundary boundary,
        double[] result
    ) : ITermSink
    {
        private readonly ReadOnlySpan<float> _x = x,
            _dy = dy;
        public readonly double[] Result = result;

        public readonly void Add(int output, int weight, int input)
        {
            if (input >= 0)
                Result[weight] += (double)_dy[output] * _x[input];
            else if (boundary.Kind == BoundaryKind.Constant)
                Result[weight] += (double)_dy[output] * boundary.Value;
        }
    }

    /// <summary>Visits every term of the problem once, in a fixed order.</summary>
    private static void VisitTerms<TSink>(ConvProblem p, ref TSink sink)
        where TSink : ITermSink, allows ref struct
    {
        // Lift to three spatial axes with leading unit axes, so one loop nest serves ranks 1 to 3.
        int lift = ConvProblem.MaxRank - p.Rank;
        int[] inSize = Lift(p.InputSize, lift),
            kSize = Lift(p.KernelSize, lift),
            outSize = Lift(p.OutputSize, lift);
        // taps[a][o * stride + j * dilation]: the input index tap j of output o reads on axis a, or -1 outside; one
        // entry per position a window can reach (about the padded input), not per (output, tap) pair.
        var taps = new int[ConvProblem.MaxRank][];
        int[] step = new int[ConvProblem.MaxRank],
            spacing = new int[ConvProblem.MaxRank];
        for (int a = 0; a < ConvProblem.MaxRank; a++)
        {
            if (a < lift)
            {
                taps[a] = [0];
                continue;
            }
            int r = a - lift;
            (step[a], spacing[a]) = (p.Stride[r], p.Dilation[r]);
            // Stryker disable once Arithmetic : a longer table holds more mapped positions, none of them ever read
            taps[a] = new int[(outSize[a] - 1) * step[a] + (kSize[a] - 1) * spacing[a] + 1];
            for (int position = 0; position < taps[a].Length; position++)
                taps[a][position] = p.Boundary.Map(position - p.PadBefore[r], inSize[a]);
        }

        int cg = p.InChannelsPerGroup,
            kg = p.OutChannelsPerGroup;
        int outVolume = outSize[0] * outSize[1] * outSize[2];
        int inVolume = inSize[0] * inSize[1] * inSize[2];
        int kVolume = kSize[0] * kSize[1] * kSize[2];
        for (int n = 0; n < p.Batch; n++)
        for (int k = 0; k < p.OutChannels; k++)
        {
            int g = k / kg;
            for (int o0 = 0; o0 < outSize[0]; o0++)
            for (int o1 = 0; o1 < outSize[1]; o1++)
            for (int o2 = 0; o2 < outSize[2]; o2++)
            {
                int oFlat = (o0 * outSize[1] + o1) * outSize[2] + o2;
                int output = (n * p.OutChannels + k) * outVolume + oFlat;
                // Shared weights: (K, C/G, k...); unshared: (K, O..., C/G, k...).
                int kernelBase = p.Unshared ? (k * outVolume + oFlat) * cg : k * cg;
                for (int c = 0; c < cg; c++)
                {
                    int inputBase = (n * p.InChannels + g * cg + c) * inVolume;
                    int weightBase = (kernelBase + c) * kVolume;
                    for (int j0 = 0; j0 < kSize[0]; j0++)
                    {
                        int i0 = taps[0][o0 * step[0] + j0 * spacing[0]];
                        for (int j1 = 0; j1 < kSize[1]; j1++)
                        {
                            int i1 = taps[1][o1 * step[1] + j1 * spacing[1]];
                            for (int j2 = 0; j2 < kSize[2]; j2++)
                            {
                                int i2 = taps[2][o2 * step[2] + j2 * spacing[2]];
                                int input =
                                    i0 < 0 || i1 < 0 || i2 < 0
                                        ? -1
                                        : inputBase + (i0 * inSize[1] + i1) * inSize[2] + i2;
                                int jw0 = p.Flip ? kSize[0] - 1 - j0 : j0,
                                    jw1 = p.Flip ? kSize[1] - 1 - j1 : j1,
                                    jw2 = p.Flip ? kSize[2] - 1 - j2 : j2;
                                sink.Add(output, weightBase + (jw0 * kSize[1] + jw1) * kSize[2] + jw2, input);
                            }
                        }
                    }
                }
            }
        }
    }

    private static int[] Lift(IReadOnlyList<int> sizes, int lift) => [.. Enumerable.Repeat(1, lift), .. sizes];
}
