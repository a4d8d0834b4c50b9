using ConvParity.Problems;

namespace ConvParity.Bench;

/// <summary>One benchmark workload: a forward problem on float32 NCHW data, and how the peers see it.</summary>
/// <param name="Name">Short name (cnn-a, img-k3, sig-k16...).</param>
/// <param name="Kind">"cnn" (torch conv2d/conv3d), "image" (scipy 2-D 'same' correlation) or "signal" (1-D
/// 'valid').</param>
/// <param name="Description">The shape in words.</param>
/// <param name="Problem">The problem our engine solves.</param>
public sealed record Workload(string Name, string Kind, string Description, ConvProblem Problem)
{
    /// <summary>Floating-point operations of the direct algorithm: 2 per multiply-add.</summary>
    public double Flops =>
        2.0
        * Problem.Batch
        * Problem.OutChannels
        * Problem.OutputSize.Aggregate(1.0, (v, s) => v * s)
        * Problem.InChannelsPerGroup
        * Problem.KernelSize.Aggregate(1.0, (v, s) => v * s);

    /// <summary>The workloads of the issue, in order.</summary>
    public static IReadOnlyList<Workload> All { get; } =
    [
        Cnn("cnn-a", "N=8 64->64 56x56 3x3 pad 1", 8, 64, 64, [56, 56], [3, 3], 1, 1),
        Cnn("cnn-b", "N=8 3->64 224x224 7x7 stride 2 pad 3", 8, 3, 64, [224, 224], [7, 7], 2, 3),
        Cnn("cnn-c", "N=8 256->256 14x14 3x3 pad 1", 8, 256, 256, [14, 14], [3, 3], 1, 1),
        Cnn("cnn-d", "N=8 64->256 56x56 1x1", 8, 64, 256, [56, 56], [1, 1], 1, 0),
        Cnn("cnn-e", "depthwise N=8 C=128 56x56 3x3 pad 1", 8, 128, 128, [56, 56], [3, 3], 1, 1, groups: 128),
        Cnn("cnn-f", "3-D N=2 16->16 32^3 3x3x3 pad 1", 2, 16, 16, [32, 32, 32], [3, 3, 3], 1, 1),
        Image(3),
        Image(7),
        Image(15),
        Image(31),
        Signal(16),
        Signal(256),
        Signal(4096),
    ];

    private static Workload Cnn(
        string name,
        string description,
        int n,
        int c,
        int k,
        int[] size,
        int[] kernel,
        int stride,
        int pad,
        int groups = 1
    )
    {
        int rank = size.Length;
        int[] Each(int v) => Enumerable.Repeat(v, rank).ToArray();
        return new Workload(
            name,
            "cnn",
            description,
            new ConvProblem(
                new()
                {
                    Batch = n,
                    InChannels = c,
                    OutChannels = k,
                    InputSize = size,
                    KernelSize = kernel,
                    PadBefore = Each(pad),
                    PadAfter = Each(pad),
                    Stride = Each(stride),
                    Groups = groups,
                }
            )
        );
    }

    // scipy.signal.correlate2d(image, kernel, 'same'): anchor (M-1)//2, zero fill; every k here is odd.
    private static Workload Image(int k) =>
        new(
            $"img-k{k}",
            "image",
            $"1024x1024 image, {k}x{k} 'same' correlation",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [1024, 1024],
                    KernelSize = [k, k],
                    PadBefore = [(k - 1) / 2, (k - 1) / 2],
                    PadAfter = [k / 2, k / 2],
                }
            )
        );

    // numpy.convolve(signal, kernel, 'valid'): true convolution, no padding.
    private static Workload Signal(int k) =>
        new(
            $"sig-k{k}",
            "signal",
            $"1-D, 1,000,000 samples, kernel {k}, 'valid' convolution",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [1_000_000],
                    KernelSize = [k],
                    Flip = true,
                }
            )
        );
}
