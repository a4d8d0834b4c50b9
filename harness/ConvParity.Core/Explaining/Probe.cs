using ConvParity.Conventions;
using ConvParity.Judging;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Explaining;

/// <summary>
/// A few positions of the observed answer, and the judge of a hypothesis on them alone: each sampled element is
/// summed directly from the library's arrays through the hypothesis's views (nothing is copied), with its S =
/// sum |x||w|, and judged under the same float32 bound as the whole answer. A convention that fails here fails on
/// the whole answer too; one that passes is then run whole.
/// </summary>
internal sealed class Probe
{
    /// <summary>How many positions are sampled (fewer when the answer is smaller).</summary>
    public const int Size = 48;

    private readonly Tensor _observed;
    private readonly int[] _positions;
    private readonly Tensor _sample;

    /// <summary>Samples <paramref name="observed"/>: every corner of its shape (the padded edges), then positions
    /// drawn with a fixed seed.</summary>
    public Probe(Tensor observed)
    {
        _observed = observed;
        var chosen = new SortedSet<int>();
        int[] shape = observed.ShapeArray();
        int corners = shape.Length <= 6 ? 1 << shape.Length : 1;
        for (int corner = 0; corner < corners && chosen.Count < Size; corner++)
        {
            int flat = 0;
            for (int d = 0; d < shape.Length; d++)
                flat = flat * shape[d] + ((corner >> d & 1) == 1 ? shape[d] - 1 : 0);
            chosen.Add(flat);
        }
        var random = new Random(15);
        for (int tries = 0; chosen.Count < Math.Min(Size, observed.Length) && tries < 16 * Size; tries++)
            chosen.Add(random.Next(observed.Length));
        _positions = [.. chosen];
        var span = observed.Span;
        var sample = new float[_positions.Length];
        for (int i = 0; i < sample.Length; i++)
            sample[i] = span[_positions[i]];
        _sample = new Tensor(sample, [sample.Length]);
    }

    /// <summary>Whether the probe can judge <paramref name="h"/>: direct sums with shared weights, forward or
    /// transposed (whose outside reads are constant), in the observed answer's element count.</summary>
    public bool Applies(Hypothesis h) =>
        h.Algorithm == ReferenceAlgorithm.Direct
        && !h.Problem.Unshared
        && (
            h.Operation == ConvOperation.Forward
            || (h.Operation == ConvOperation.GradInput && h.Problem.Boundary.ReadsConstant)
        )
        && h.ResultShape.Aggregate(1L, (n, s) => n * s) == _observed.Length;

    /// <summary>
    /// Judges <paramref name="h"/> on the sampled positions. <paramref name="relative"/>: the largest
    /// |observed - exact| / S among them, which tells a reduced-precision answer (about 2^-8 or 2^-11) from
    /// another convention (about 1).
    /// </summary>
    public Verdict Judge(Hypothesis h, Tensor first, Tensor second, out double relative)
    {
        var p = h.Problem;
        var a = new Operand(h.First, first, h.Rounding);
        var b = new Operand(h.Second, second, h.Rounding);
        int[] resultSource = [.. h.Result.SourceShape];
        int rank = p.Rank;
        var values = new float[_positions.Length];
        var magnitudes = new float[_positions.Length];
        var canonical = new int[rank + 2];
        var source = new int[resultSource.Length];
        relative = 0;
        for (int s = 0; s < _positions.Length; s++)
        {
            int flat = _positions[s];
            for (int d = resultSource.Length - 1; d >= 0; d--)
            {
                source[d] = flat % resultSource[d];
                flat /= resultSource[d];
            }
            for (int i = 0; i < canonical.Length; i++)
                canonical[i] = source[h.Result.Permutation[i]];
            var (value, magnitude) =
                h.Operation == ConvOperation.Forward ? Forward(h, a, b, canonical) : Transposed(h, a, b, canonical);
            values[s] = (float)value;
            magnitudes[s] = (float)magnitude;
            double difference = Math.Abs(_sample.Span[s] - value);
            if (magnitude > 0 && double.IsFinite(difference))
                relative = Math.Max(relative, difference / magnitude);
            else if (difference > 0)
                relative = double.PositiveInfinity;
        }
        var bound = ErrorBound.FromMagnitude(
            new Tensor(values, [values.Length]),
            magnitudes,
            p.ProductsPerResult(h.Operation),
            ReferenceAlgorithm.Direct,
            0,
            false,
            false
        );
        return bound.Judge(_sample, findCause: false);
    }

    /// <summary>One forward output y[n, k, o...]: the sum over the group's channels and the kernel's taps.</summary>
    private static (double Value, double Magnitude) Forward(Hypothesis h, Operand x, Operand w, int[] at)
    {
        var p = h.Problem;
        int rank = p.Rank;
        int n = at[0],
            k = at[1];
        int cg = p.InChannelsPerGroup,
            group = k / p.OutChannelsPerGroup;
        int taps = p.KernelSize.Aggregate(1, (v, s) => v * s);
        var xi = new int[rank + 2];
        var wi = new int[rank + 2];
        double value = 0,
            magnitude = 0;
        float outside = p.Boundary.OutsideValue;
        for (int c = 0; c < cg; c++)
        for (int t = 0; t < taps; t++)
        {
            bool inside = true;
            int rest = t;
            for (int a = rank - 1; a >= 0; a--)
            {
                int kernel = p.KernelSize[a];
                int j = rest % kernel;
                rest /= kernel;
                int m = p.Boundary.Map(at[2 + a] * p.Stride[a] + j * p.Dilation[a] - p.PadBefore[a], p.InputSize[a]);
                inside &= m >= 0;
                xi[2 + a] = m + h.CropBefore[a];
                wi[2 + a] = p.Flip ? kernel - 1 - j : j;
            }
            (wi[0], wi[1]) = (k, c);
            double wv = w.At(wi);
            double xv;
            if (inside)
            {
                (xi[0], xi[1]) = (n, group * cg + c);
                xv = x.At(xi);
            }
            else
                xv = outside;
            value += wv * xv;
            magnitude += Math.Abs(wv) * Math.Abs(xv);
        }
        return (value, magnitude);
    }

    /// <summary>One transposed output dx[n, c, i...]: every term whose window position reads i.</summary>
    private static (double Value, double Magnitude) Transposed(Hypothesis h, Operand dy, Operand w, int[] at)
    {
        var p = h.Problem;
        int rank = p.Rank;
        for (int a = 0; a < rank; a++)
            if (at[2 + a] - h.CropBefore[a] is var i && (i < 0 || i >= p.InputSize[a]))
                return (0, 0);
        int n = at[0],
            c = at[1];
        int cg = p.InChannelsPerGroup,
            kg = p.OutChannelsPerGroup,
            group = c / cg;
        int taps = p.KernelSize.Aggregate(1, (v, s) => v * s);
        var di = new int[rank + 2];
        var wi = new int[rank + 2];
        double value = 0,
            magnitude = 0;
        for (int k = group * kg; k < (group + 1) * kg; k++)
        for (int t = 0; t < taps; t++)
        {
            bool reads = true;
            int rest = t;
            for (int a = rank - 1; a >= 0 && reads; a--)
            {
                int kernel = p.KernelSize[a];
                int j = rest % kernel;
                rest /= kernel;
                long position = (long)at[2 + a] - h.CropBefore[a] + p.PadBefore[a] - (long)j * p.Dilation[a];
                reads = position >= 0 && position % p.Stride[a] == 0 && position / p.Stride[a] < p.OutputSize[a];
                di[2 + a] = (int)(position / p.Stride[a]);
                wi[2 + a] = p.Flip ? kernel - 1 - j : j;
            }
            if (!reads)
                continue;
            (di[0], di[1]) = (n, k);
            (wi[0], wi[1]) = (k, c - group * cg);
            double product = dy.At(di) * w.At(wi);
            value += product;
            magnitude += Math.Abs(product);
        }
        return (value, magnitude);
    }

    /// <summary>Row-major strides of <paramref name="view"/>'s source shape, per canonical axis.</summary>
    private static int[] Strides(ArrayView view)
    {
        var shape = view.SourceShape;
        var source = new int[shape.Count];
        for (int d = shape.Count - 1, s = 1; d >= 0; s *= shape[d], d--)
            source[d] = s;
        return [.. view.Permutation.Select(axis => source[axis])];
    }

    /// <summary>A library array read as a canonical operand through a view, rounded as the hypothesis says.</summary>
    private readonly struct Operand(ArrayView view, Tensor array, OperandRounding rounding)
    {
        private readonly int[] _strides = Strides(view);
        private readonly Tensor _array = array;

        public double At(int[] index)
        {
            int flat = 0;
            for (int i = 0; i < index.Length; i++)
                flat += index[i] * _strides[i];
            return Rounding.Apply(rounding, _array.Span[flat]);
        }
    }
}
