using ConvParity.Engines;
using ConvParity.Explaining;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>How a float32 engine adds up the products of one result element.</summary>
public enum Summation
{
    /// <summary>In term order, each product rounded to float32, then added.</summary>
    Natural,

    /// <summary>In reverse term order.</summary>
    Reversed,

    /// <summary>Pairwise (tree) summation of the rounded products.</summary>
    Pairwise,

    /// <summary>In term order with fused multiply-add (one rounding per term).</summary>
    FusedMultiplyAdd,
}

/// <summary>A convention or precision bug planted in an otherwise correct engine.</summary>
public enum PlantedBug
{
    None,

    /// <summary>Ignores the flip: always correlates.</summary>
    MissingFlip,

    /// <summary>Reads the input one position later on every axis (a 'same' anchor off by one).</summary>
    AnchorOffByOne,

    /// <summary>Pads with padAfter before the input (and so padBefore after it).</summary>
    PadOnWrongSide,

    /// <summary>Starts every strided axis one position late.</summary>
    WrongStridePhase,

    /// <summary>Rounds the operands to TF32 before multiplying.</summary>
    Tf32Inputs,

    /// <summary>Rounds the operands to float16 before multiplying.</summary>
    Float16Inputs,
}

/// <summary>
/// A plain float32 engine written apart from the reference engine: it gathers the products of every
/// result element, then sums them in float32 in the chosen order. With a planted bug it is what a
/// buggy user engine looks like; without one it is a correct engine the bound must never reject.
/// </summary>
public sealed class SummingEngine(Summation summation, PlantedBug bug = PlantedBug.None) : IConvEngine
{
    public string Name => bug == PlantedBug.None ? $"float32-{summation}" : $"planted-{bug}";

    public Tensor Forward(ConvProblem problem, Tensor x, Tensor w) => Solve(problem, ConvOperation.Forward, x, w);

    public Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w) => Solve(problem, ConvOperation.GradInput, dy, w);

    public Tensor GradWeights(ConvProblem problem, Tensor x, Tensor dy) =>
        Solve(problem, ConvOperation.GradWeights, x, dy);

    private Tensor Solve(ConvProblem p, ConvOperation operation, Tensor first, Tensor second)
    {
        ConvEngine.RequireOperands(p, operation, first, second, "first", "second");
        float[] a = Round(first.Span),
            b = Round(second.Span);
        float outside = Round(p.Boundary.OutsideValue);
        var shape = p.ResultShape(operation);
        var terms = new List<(float, float)>[shape.Aggregate(1, (n, s) => n * s)];
        for (int i = 0; i < terms.Length; i++)
            terms[i] = [];
        // Forward: y[o] += w * x; GradInput: dx[i] += dy[o] * w; GradWeights: dw[j] += dy[o] * x.
        Visit(
            p,
            (output, weight, input) =>
            {
                switch (operation)
                {
                    case ConvOperation.Forward:
                        terms[output].Add((b[weight], input >= 0 ? a[input] : outside));
                        break;
                    case ConvOperation.GradInput:
                        if (input >= 0)
                            terms[input].Add((a[output], b[weight]));
                        break;
                    default:
                        terms[weight].Add((b[output], input >= 0 ? a[input] : outside));
                        break;
                }
            }
        );
        return new Tensor(terms.Select(Sum).ToArray(), shape);
    }

    private float[] Round(ReadOnlySpan<float> values)
    {
        var result = values.ToArray();
        for (int i = 0; i < result.Length; i++)
            result[i] = Round(result[i]);
        return result;
    }

    private float Round(float value) =>
        bug switch
        {
            PlantedBug.Tf32Inputs => Rounding.Apply(OperandRounding.Tf32, value),
            PlantedBug.Float16Inputs => Rounding.Apply(OperandRounding.Float16, value),
            _ => value,
        };

    private float Sum(List<(float A, float B)> terms)
    {
        switch (summation)
        {
            case Summation.FusedMultiplyAdd:
            {
                float acc = 0;
                foreach (var (a, b) in terms)
                    acc = MathF.FusedMultiplyAdd(a, b, acc);
                return acc;
            }
            case Summation.Pairwise:
                return Pairwise([.. terms.Select(t => t.A * t.B)]);
            default:
            {
                float acc = 0;
                var ordered = summation == Summation.Reversed ? Enumerable.Reverse(terms) : terms;
                foreach (var (a, b) in ordered)
                {
                    float product = a * b;
                    acc += product;
                }
                return acc;
            }
        }
    }

    private static float Pairwise(ReadOnlySpan<float> values) =>
        values.Length switch
        {
            0 => 0,
            1 => values[0],
            _ => Pairwise(values[..(values.Length / 2)]) + Pairwise(values[(values.Length / 2)..]),
        };

    /// <summary>Calls <paramref name="term"/>(output, weight, input) for every term; input is -1 outside the
    /// input.</summary>
    private void Visit(ConvProblem p, Action<int, int, int> term)
    {
        int rank = p.Rank;
        int[] outSize = [.. p.OutputSize],
            kSize = [.. p.KernelSize],
            inSize = [.. p.InputSize];
        int outVolume = outSize.Aggregate(1, (v, s) => v * s),
            kVolume = kSize.Aggregate(1, (v, s) => v * s),
            inVolume = inSize.Aggregate(1, (v, s) => v * s);
        int cg = p.InChannelsPerGroup,
            kg = p.OutChannelsPerGroup;
        var o = new int[rank];
        var j = new int[rank];
        for (int n = 0; n < p.Batch; n++)
        for (int k = 0; k < p.OutChannels; k++)
        for (int of = 0; of < outVolume; of++)
        {
            Unflatten(of, outSize, o);
            int output = (n * p.OutChannels + k) * outVolume + of;
            int kernelBase = p.Unshared ? (k * outVolume + of) * cg : k * cg;
            for (int c = 0; c < cg; c++)
            for (int jf = 0; jf < kVolume; jf++)
            {
                Unflatten(jf, kSize, j);
                int input = 0,
                    weight = 0;
                for (int a = 0; a < rank; a++)
                {
                    int position = o[a] * p.Stride[a] + j[a] * p.Dilation[a] - PadBefore(p, a);
                    int mapped = input < 0 ? -1 : p.Boundary.Map(position, inSize[a]);
                    input = mapped < 0 ? -1 : input * inSize[a] + mapped;
                    bool flip = p.Flip && bug != PlantedBug.MissingFlip;
                    weight = weight * kSize[a] + (flip ? kSize[a] - 1 - j[a] : j[a]);
                }
                int channel = (k / kg) * cg + c;
                term(
                    output,
                    (kernelBase + c) * kVolume + weight,
                    input < 0 ? -1 : (n * p.InChannels + channel) * inVolume + input
                );
            }
        }
    }

    /// <summary>The pad before axis <paramref name="a"/> as this engine (mis)reads it.</summary>
    private int PadBefore(ConvProblem p, int a) =>
        bug switch
        {
            PlantedBug.AnchorOffByOne => p.PadBefore[a] - 1,
            PlantedBug.PadOnWrongSide => p.PadAfter[a],
            PlantedBug.WrongStridePhase when p.Stride[a] > 1 => p.PadBefore[a] - 1,
            _ => p.PadBefore[a],
        };

    private static void Unflatten(int flat, int[] sizes, int[] index)
    {
        for (int a = sizes.Length - 1; a >= 0; a--)
        {
            index[a] = flat % sizes[a];
            flat /= sizes[a];
        }
    }
}
