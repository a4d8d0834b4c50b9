using ConvParity.Problems;

namespace ConvParity.Bench;

/// <summary>One benchmark workload: a problem and one of its maps on float32 NCHW data, and how the peers see
/// it.</summary>
/// <param name="Name">Short name (cnn-a, img-k3, sig-k16...).</param>
/// <param name="Kind">"cnn" (torch conv1d/2d/3d), "transpose" (torch conv_transpose2d), "grad"
/// (torch.nn.grad's conv2d_input or conv2d_weight, by Operation), "image" (scipy 2-D 'same' correlation) or
/// "signal" (1-D 'valid').</param>
/// <param name="Description">The shape in words.</param>
/// <param name="Problem">The problem our engine solves.</param>
/// <param name="Operation">Which of its maps is timed: the forward map, the input gradient (a transposed
/// convolution) or the weight gradient.</param>
public sealed record Workload(
    string Name,
    string Kind,
    string Description,
    ConvProblem Problem,
    ConvOperation Operation = ConvOperation.Forward
)
{
    /// <summary>Floating-point operations of the direct algorithm: 2 per multiply-add (the same for the three
    /// maps).</summary>
    public double Flops =>
        2.0
        * Problem.Batch
        * Problem.OutChannels
        * Problem.OutputSize.Aggregate(1.0, (v, s) => v * s)
        * Problem.InChannelsPerGroup
        * Problem.KernelSize.Aggregate(1.0, (v, s) => v * s);

    /// <summary>Whether torch is the peer (a torch.nn.functional or torch.nn.grad call).</summary>
    public bool TorchPeer => Kind is "cnn" or "transpose" or "grad";

    /// <summary>The workloads of the issue, in order.</summary>
    public static IReadOnlyList<Workload> All { get; } =
    [
        Cnn("cnn-a", "N=8 64->64 56x56 3x3 pad 1", 8, 64, 64, [56, 56], [3, 3], 1, 1),
        Cnn("cnn-b", "N=8 3->64 224x224 7x7 stride 2 pad 3", 8, 3, 64, [224, 224], [7, 7], 2, 3),
        Cnn("cnn-c", "N=8 256->256 14x14 3x3 pad 1", 8, 256, 256, [14, 14], [3, 3], 1, 1),
        Cnn("cnn-d", "N=8 64->256 56x56 1x1", 8, 64, 256, [56, 56], [1, 1], 1, 0),
        Cnn("cnn-e", "depthwise N=8 C=128 56x56 3x3 pad 1", 8, 128, 128, [56, 56], [3, 3], 1, 1, groups: 128),
        Cnn("cnn-f", "3-D N=2 16->16 32^3 3x3x3 pad 1", 2, 16, 16, [32, 32, 32], [3, 3, 3], 1, 1),
        Cnn(
            "cnn-g",
            "depthwise N=8 C=512 14x14 3x3 pad 1 (MobileNet)",
            8,
            512,
            512,
            [14, 14],
            [3, 3],
            1,
            1,
            groups: 512
        ),
        Cnn(
            "cnn-h",
            "depthwise N=8 C=256 28x28 3x3 stride 2 pad 1 (MobileNet)",
            8,
            256,
            256,
            [28, 28],
            [3, 3],
            2,
            1,
            groups: 256
        ),
        // conv_transpose2d(dy 8x128x28x28, w 128x64x4x4, stride 2, padding 1): 28x28 up to 56x56.
        Cnn(
            "tconv-s2",
            "conv_transpose2d N=8 128->64 28x28->56x56 4x4 stride 2 pad 1",
            8,
            64,
            128,
            [56, 56],
            [4, 4],
            2,
            1,
            ConvOperation.GradInput,
            kind: "transpose"
        ),
        Cnn(
            "gradw-a",
            "weight gradient of cnn-a",
            8,
            64,
            64,
            [56, 56],
            [3, 3],
            1,
            1,
            ConvOperation.GradWeights,
            kind: "grad"
        ),
        Cnn(
            "gradw-c",
            "weight gradient of cnn-c",
            8,
            256,
            256,
            [14, 14],
            [3, 3],
            1,
            1,
            ConvOperation.GradWeights,
            kind: "grad"
        ),
        Cnn(
            "gradx-a",
            "input gradient of cnn-a",
            8,
            64,
            64,
            [56, 56],
            [3, 3],
            1,
            1,
            ConvOperation.GradInput,
            kind: "grad"
        ),
        Cnn(
            "gradx-c",
            "input gradient of cnn-c",
            8,
            256,
            256,
            [14, 14],
            [3, 3],
            1,
            1,
            ConvOperation.GradInput,
            kind: "grad"
        ),
        Cnn("conv1d", "1-D N=8 64->64 length 4096 kernel 9 'same'", 8, 64, 64, [4096], [9], 1, 4),
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
        ConvOperation operation = ConvOperation.Forward,
        int groups = 1,
        string kind = "cnn"
    )
    {
        int rank = size.Length;
        int[] Each(int v) => Enumerable.Repeat(v, rank).ToArray();
        return new Workload(
            name,
            kind,
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
            ),
            operation
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
