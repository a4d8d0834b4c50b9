using ConvParity.Engines;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace MyConvolution.Tests;

/// <summary>
/// A convolution engine of our own: plain loops with float32 sums (not the double sums of ConvParity's
/// reference engine), for every ConvProblem: 1 to 3 spatial axes, groups, stride, dilation, pads, kernel flip,
/// every boundary extension, unshared weights, and the three linear maps.
/// </summary>
public sealed class NaiveEngine : IConvEngine
{
    /// <inheritdoc />
    public string Name => "naive";

    /// <inheritdoc />
    public Tensor Forward(ConvProblem problem, Tensor x, Tensor w)
    {
        var y = new float[Volume(problem.OutputShape)];
        var (xs, ws) = (x.Span.ToArray(), w.Span.ToArray());
        Visit(problem, (output, weight, input) => y[output] += ws[weight] * Read(problem, xs, input));
        return new Tensor(y, problem.OutputShape);
    }

    /// <inheritdoc />
    public Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w)
    {
        var dx = new float[Volume(problem.InputShape)];
        var (dys, ws) = (dy.Span.ToArray(), w.Span.ToArray());
        Visit(
            problem,
            (output, weight, input) =>
            {
                if (input >= 0)
                    dx[input] += ws[weight] * dys[output];
            }
        );
        return new Tensor(dx, problem.InputShape);
    }

    /// <inheritdoc />
    public Tensor GradWeights(ConvProblem problem, Tensor x, Tensor dy)
    {
        var dw = new float[Volume(problem.WeightShape)];
        var (xs, dys) = (x.Span.ToArray(), dy.Span.ToArray());
        Visit(problem, (output, weight, input) => dw[weight] += dys[output] * Read(problem, xs, input));
        return new Tensor(dw, problem.WeightShape);
    }

    private static float Read(ConvProblem problem, float[] x, int input) =>
        input >= 0 ? x[input] : problem.Boundary.OutsideValue;

    private static int Volume(IEnumerable<int> shape) => shape.Aggregate(1, (a, b) => a * b);

    /// <summary>
    /// Calls <paramref name="term"/> for every product w[k, c, j'] * ext(x)[n, c, o*s + j*d - pad] of the forward
    /// map, with the flat indices of y, w and x (x: -1 where the boundary reads a constant).
    /// </summary>
    private static void Visit(ConvProblem p, Action<int, int, int> term)
    {
        int rank = p.Rank;
        int[] inSize = [.. p.InputSize],
            kSize = [.. p.KernelSize],
            outSize = [.. p.OutputSize];
        int inVolume = Volume(inSize),
            kVolume = Volume(kSize),
            outVolume = Volume(outSize);
        int cg = p.InChannelsPerGroup,
            kg = p.OutChannelsPerGroup;
        var o = new int[rank];
        var j = new int[rank];
        for (int n = 0; n < p.Batch; n++)
        for (int k = 0; k < p.OutChannels; k++)
        for (int oFlat = 0; oFlat < outVolume; oFlat++)
        {
            Unflatten(oFlat, outSize, o);
            int yIndex = (n * p.OutChannels + k) * outVolume + oFlat;
            for (int c = 0; c < cg; c++)
            {
                int inChannel = k / kg * cg + c;
                int kernelBase = ((p.Unshared ? k * outVolume + oFlat : k) * cg + c) * kVolume;
                for (int jFlat = 0; jFlat < kVolume; jFlat++)
                {
                    Unflatten(jFlat, kSize, j);
                    int xFlat = 0,
                        tap = 0;
                    for (int a = 0; a < rank; a++)
                    {
                        int position = o[a] * p.Stride[a] + j[a] * p.Dilation[a] - p.PadBefore[a];
                        int mapped = p.Boundary.Map(position, inSize[a]);
                        xFlat = mapped < 0 || xFlat < 0 ? -1 : xFlat * inSize[a] + mapped;
                        tap = tap * kSize[a] + (p.Flip ? kSize[a] - 1 - j[a] : j[a]);
                    }
                    int xIndex = xFlat < 0 ? -1 : (n * p.InChannels + inChannel) * inVolume + xFlat;
                    term(yIndex, kernelBase + tap, xIndex);
                }
            }
        }
    }

    private static void Unflatten(int flat, int[] size, int[] index)
    {
        for (int a = size.Length - 1; a >= 0; a--)
        {
            index[a] = flat % size[a];
            flat /= size[a];
        }
    }
}
