using ConvParity.Problems;

namespace ConvParity.Explaining;

/// <summary>Everything of a problem but its input size, pads and flip: what a family of hypotheses shares.</summary>
internal sealed record Frame(
    int Batch,
    int InChannels,
    int OutChannels,
    int[] KernelSize,
    int[] Stride,
    int[] Dilation,
    int Groups,
    Boundary Boundary,
    bool Unshared
)
{
    public static Frame Of(ConvProblem p) =>
        new(
            p.Batch,
            p.InChannels,
            p.OutChannels,
            [.. p.KernelSize],
            [.. p.Stride],
            [.. p.Dilation],
            p.Groups,
            p.Boundary,
            p.Unshared
        );
}
