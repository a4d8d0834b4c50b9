using ConvParity.Cpu;
using ConvParity.Engines;
using ConvParity.Judging;
using ConvParity.Problems;
using ConvParity.Tensors;
using ConvParity.Testing;

namespace ConvParity.Tests;

/// <summary>The fast CPU engine against the reference engine on seeded random problems of every variant, judged with
/// the float32 bound.</summary>
[Parallelizable(ParallelScope.Children)]
public sealed class CpuEngineTests
{
    private static readonly Boundary[] Boundaries =
    [
        Boundary.Zero,
        Boundary.Constant(1.5f),
        new(BoundaryKind.Reflect),
        new(BoundaryKind.Mirror),
        new(BoundaryKind.Nearest),
        new(BoundaryKind.Wrap),
    ];

    /// <summary>A random problem; <paramref name="seed"/> decides everything, so a failure names its case.</summary>
    private static ConvProblem RandomProblem(int seed)
    {
        var random = new Random(seed);
        int rank = 1 + seed % 3;
        int groups = random.Next(4) switch
        {
            0 => 1,
            1 => 2,
            2 => 3,
            _ => 1,
        };
        bool depthwise = seed % 5 == 0;
        int cg = depthwise ? 1 : random.Next(1, 5),
            kg = depthwise ? 1 : random.Next(1, 21);
        var kernel = new int[rank];
        var input = new int[rank];
        var stride = new int[rank];
        var dilation = new int[rank];
        var before = new int[rank];
        var after = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            kernel[a] = random.Next(1, rank == 3 ? 4 : 6);
            dilation[a] = random.Next(3) == 0 ? 2 : 1;
            stride[a] = random.Next(3) == 0 ? random.Next(2, 4) : 1;
            before[a] = random.Next(4);
            after[a] = random.Next(4);
            int effective = (kernel[a] - 1) * dilation[a] + 1;
            input[a] = Math.Max(1, effective - before[a] - after[a]) + random.Next(rank == 3 ? 5 : 14);
        }
        return new ConvProblem(
            new()
            {
                Batch = random.Next(1, 4),
                InChannels = cg * groups,
                OutChannels = kg * groups,
                InputSize = input,
                KernelSize = kernel,
                PadBefore = before,
                PadAfter = after,
                Stride = stride,
                Dilation = dilation,
                Groups = groups,
                Flip = random.Next(2) == 0,
                Boundary = Boundaries[seed % Boundaries.Length],
                Unshared = seed % 7 == 3,
            }
        );
    }

    private static Verdict Compare(
        ConvProblem problem,
        ConvOperation operation,
        IConvEngine engine,
        int seed,
        Func<Tensor, Tensor>? spoil = null
    )
    {
        var (first, second) = RandomProblems.Operands(problem, operation, seed);
        return ParityAssert.JudgeAgainstReference(engine, ParityProblem.Of(problem, operation, first, second), spoil);
    }

    public static IEnumerable<TestCaseData> RandomCases() =>
        from seed in Enumerable.Range(0, 60)
        from operation in Enum.GetValues<ConvOperation>()
        select new TestCaseData(seed, operation).SetName($"Random problem {seed} {operation}");

    [TestCaseSource(nameof(RandomCases))]
    public void Matches_the_reference_on_a_random_problem(int seed, ConvOperation operation)
    {
        var problem = RandomProblem(seed);
        var verdict = Compare(problem, operation, new CpuEngine(threads: 1 + seed % 2), seed);
        Assert.That(verdict.Passed, Is.True, $"{problem}\n{verdict}");
    }

    /// <summary>A dense problem of 2 batches, 5 input and 40 output channels unless told, 3 taps an axis padded by 1,
    /// on <paramref name="input"/>.</summary>
    private static ConvProblem DenseByOne(int[] input, int inChannels = 5, int outChannels = 40) =>
        Dense(input, [.. input.Select(_ => 3)], [.. input.Select(_ => 1)], 1, inChannels, outChannels);

    /// <summary>A dense problem of 2 batches on <paramref name="input"/>, padded by <paramref name="pad"/> with zeros
    /// on both sides.</summary>
    private static ConvProblem Dense(
        int[] input,
        int[] kernel,
        int[] pad,
        int dilation,
        int inChannels,
        int outChannels
    ) =>
        new(
            new()
            {
                Batch = 2,
                InChannels = inChannels,
                OutChannels = outChannels,
                InputSize = input,
                KernelSize = kernel,
                PadBefore = pad,
                PadAfter = pad,
                Dilation = [.. input.Select(_ => dilation)],
            }
        );

    /// <summary>A dense problem of 2 batches, 5 input and 40 output channels, 3 taps an axis padded by 1, on
    /// <paramref name="input"/>.</summary>
    private static TestCaseData PaddedByOne(int[] input, string name) =>
        new TestCaseData(DenseByOne(input)).SetName(name);

    /// <summary>A dense problem of 2 batches, 5 input and 40 output channels, on <paramref name="input"/>, padded by
    /// <paramref name="pad"/> with zeros on both sides.</summary>
    private static TestCaseData Padded(int[] input, int[] kernel, int[] pad, int dilation, string name) =>
        new TestCaseData(Dense(input, kernel, pad, dilation, 5, 40)).SetName(name);

    public static IEnumerable<TestCaseData> KernelPathCases()
    {
        // The shapes the fast paths are for, small enough for the reference: dense with several channel
        // blocks and a partial one, 1x1, strided 7x7, depthwise, single-channel images and signals, 3-D.
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 24,
                    OutChannels = 37,
                    InputSize = [9, 11],
                    KernelSize = [3, 3],
                    PadBefore = [1, 1],
                    PadAfter = [1, 1],
                }
            )
        ).SetName("Dense 3x3 pad 1, 37 output channels");
        // AVX-512's blocks of 12 positions: 91 of them end in a block of 7, too many for the 6-position block that
        // takes the last 6 or fewer (the 99 above end in 3). Rows of 14 (blocks of 14 positions, each a stretch of X),
        // and 1-D rows whose blocks of 14 end in 9 (taken by the 12-position block) or 13 (too many for it: blocks of
        // 12 instead).
        yield return PaddedByOne([7, 13], "Dense 3x3 pad 1 on 7x13, 40 output channels");
        yield return PaddedByOne([5, 14], "Dense 3x3 pad 1 on 5x14, 40 output channels: rows of 14");
        yield return PaddedByOne([51], "Dense 1-D 3 taps pad 1, 51 positions: blocks of 14 and 9");
        yield return PaddedByOne([41], "Dense 1-D 3 taps pad 1, 41 positions: blocks of 12");
        // Blocks leave out the rows of taps that read only zeros: dilated rows, output rows that read only padding (no
        // rows at all), and blocks that run from one plane's last row into the next plane's first (every row).
        yield return Padded([6, 14], [3, 3], [2, 2], 2, "Dense 3x3 dilation 2 pad 2 on 6x14");
        yield return Padded([4, 14], [3, 3], [3, 3], 1, "Dense 3x3 pad 3 on 4x14: rows of padding only");
        yield return Padded([3, 5, 7], [1, 3, 3], [0, 1, 1], 1, "Dense 1x3x3 pad 1 on 3x5x7: blocks over two planes");
        // Blocks of 14 leave out the padded first tap of a row's first position and last tap of its last: rows of 28
        // hold one block with each end.
        yield return PaddedByOne([3, 28], "Dense 3x3 pad 1 on 3x28: blocks with one end of a row each");
        // Blocks of 14 run a row of 3 taps at a time only where the steps come in such rows: not 2x2's.
        yield return Padded([5, 15], [2, 2], [0, 0], 1, "Dense 2x2 on 5x15: rows of 14, steps not in threes");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 8,
                    OutChannels = 70,
                    InputSize = [6, 13],
                    KernelSize = [3, 3],
                    PadBefore = [1, 1],
                    PadAfter = [1, 1],
                    Groups = 2,
                }
            )
        ).SetName("Dense grouped 3x3, 35 output channels per group");
        // One thread runs channel blocks two or four at a time over each batch, whose packed weights (2700 steps)
        // share the L2 cache, of 4, 8 or 16 blocks at 16, 8 or 4 lanes.
        yield return new TestCaseData(DenseByOne([3, 3], 300, 128)).SetName(
            "Dense 3x3 pad 1, 300 to 128 channels: channel blocks in twos or fours"
        );
        // Y of 3.2 MB, more than stays in cache: blocks go to Y in groups (of 4 blocks of 12 positions at 16 lanes, 8
        // of 6 at 8 and 4), the last group of a run short.
        yield return new TestCaseData(DenseByOne([100, 100], inChannels: 1)).SetName(
            "Dense 3x3 pad 1, 1 to 40 channels on 100x100: Y written in groups of blocks"
        );
        // The weight gradient's packed dy (17 channels, 16896 steps) is over 2 MB at 16 lanes: its work items run as
        // long as the larger tile holds (18 position blocks of 12: one run on one thread), not about 8 a thread.
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 4,
                    InChannels = 24,
                    OutChannels = 17,
                    InputSize = [64, 66],
                    KernelSize = [3, 3],
                    PadBefore = [1, 1],
                    PadAfter = [1, 1],
                }
            )
        ).SetName("Dense 3x3 pad 1, 4 batches of 64x66: packed dy over 2 MB");
        // 80 planes of 22x22 extended (and the input gradient folded back) in runs of 33 planes, the last run short.
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 40,
                    OutChannels = 8,
                    InputSize = [20, 20],
                    KernelSize = [3, 3],
                    PadBefore = [1, 1],
                    PadAfter = [1, 1],
                    Boundary = new Boundary(BoundaryKind.Reflect),
                }
            )
        ).SetName("Dense reflect 3x3, 80 planes extended in runs of 33");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 16,
                    OutChannels = 40,
                    InputSize = [7, 9],
                    KernelSize = [1, 1],
                }
            )
        ).SetName("Dense 1x1");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 6,
                    OutChannels = 14,
                    InputSize = [5, 11],
                    KernelSize = [1, 1],
                    Groups = 2,
                    Flip = true,
                }
            )
        ).SetName("Pointwise grouped, channel tail");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 3,
                    OutChannels = 5,
                    InputSize = [4],
                    KernelSize = [1],
                }
            )
        ).SetName("Pointwise shorter than a block");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 3,
                    OutChannels = 16,
                    InputSize = [20, 19],
                    KernelSize = [7, 7],
                    PadBefore = [3, 3],
                    PadAfter = [3, 3],
                    Stride = [2, 2],
                }
            )
        ).SetName("Dense 7x7 stride 2 pad 3");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 12,
                    OutChannels = 12,
                    InputSize = [13, 40],
                    KernelSize = [3, 3],
                    PadBefore = [1, 1],
                    PadAfter = [1, 1],
                    Groups = 12,
                }
            )
        ).SetName("Depthwise 3x3 pad 1");
        // The plane kernel's runs over a whole tile (rows spanning fewer than 64 columns) and its strided rows.
        yield return new TestCaseData(
            DepthwiseProblem([7, 7], [3, 3], [1, 1], [1, 1], [1, 1], Boundary.Constant(0.25f))
        ).SetName("Depthwise 7x7 planes, one run per tile");
        yield return new TestCaseData(
            DepthwiseProblem([28, 29], [3, 3], [2, 2], [1, 1], [1, 1], Boundary.Zero)
        ).SetName("Depthwise stride 2, strided rows");
        yield return new TestCaseData(
            DepthwiseProblem([9, 50], [2, 3], [1, 3], [1, 2], [0, 2], new Boundary(BoundaryKind.Reflect))
        ).SetName("Depthwise stride 3 on rows, dilated reflect");
        yield return new TestCaseData(
            DepthwiseProblem([700], [5], [4], [1], [2], new Boundary(BoundaryKind.Wrap))
        ).SetName("Depthwise 1-D stride 4, long strided rows");
        yield return new TestCaseData(
            DepthwiseProblem([30, 30], [3, 3], [1, 1], [1, 1], [1, 1], Boundary.Constant(-3f), batch: 9)
        ).SetName("Depthwise 30x30, nine batches stacked eight and one");
        // Short strided rows: the tile split into phases (one per remainder of the row and column modulo the
        // strides), by vectors for a column stride of 2, one by one for 3, by rows alone for a stride across rows.
        yield return new TestCaseData(
            DepthwiseProblem([20, 23], [3, 3], [2, 2], [1, 1], [1, 1], new Boundary(BoundaryKind.Reflect))
        ).SetName("Depthwise stride 2 reflect, one split tile");
        yield return new TestCaseData(
            DepthwiseProblem([15, 12], [3, 3], [2, 1], [1, 1], [1, 1], Boundary.Zero)
        ).SetName("Depthwise stride 2 across short rows, split by rows and stacked");
        yield return new TestCaseData(
            DepthwiseProblem([25, 26], [3, 2], [3, 3], [2, 2], [2, 1], Boundary.Constant(0.5f))
        ).SetName("Depthwise stride 3 dilated, split one by one and stacked");
        // Split by 2 along rows straight from the input (AVX-512): rows of input in runs of 32 and a masked tail,
        // the box starting on an even column or an odd one, before the input or at its first column.
        yield return new TestCaseData(
            DepthwiseProblem([5, 70], [3, 3], [2, 2], [1, 1], [1, 1], Boundary.Constant(0.5f))
        ).SetName("Depthwise stride 2 on rows of 70, split in runs of 32 and a tail");
        yield return new TestCaseData(
            DepthwiseProblem([10, 33], [5, 5], [2, 2], [1, 1], [2, 2], Boundary.Constant(-1.5f))
        ).SetName("Depthwise stride 2 pad 2 on rows of 33, a tail of one");
        yield return new TestCaseData(
            DepthwiseProblem([11, 27], [3, 3], [3, 2], [1, 1], [0, 0], Boundary.Zero)
        ).SetName("Depthwise stride 3 by 2 without padding, odd rows");
        yield return new TestCaseData(
            DepthwiseProblem([40, 41], [3, 3], [2, 2], [1, 1], [1, 1], Boundary.Constant(0.75f))
        ).SetName("Depthwise stride 2 constant, one split tile not stacked");
        yield return new TestCaseData(
            DepthwiseProblem([4400, 15], [3, 3], [2, 2], [1, 1], [1, 1], Boundary.Constant(2f))
        ).SetName("Depthwise stride 2 constant, tall planes in two split tiles");
        yield return new TestCaseData(
            DepthwiseProblem([4400, 14], [3, 3], [2, 2], [1, 1], [1, 1], new Boundary(BoundaryKind.Wrap))
        ).SetName("Depthwise stride 2, tall planes in two split tiles");
        yield return new TestCaseData(
            DepthwiseProblem([5, 9, 10], [3, 3, 3], [2, 2, 2], [1, 1, 1], [1, 1, 1], Boundary.Zero)
        ).SetName("Depthwise 3-D stride 2, split and stacked");
        yield return new TestCaseData(
            DepthwiseProblem([20, 20], [3, 3], [1, 1], [1, 1], [1, 1], Boundary.Zero, batch: 1, channels: 40)
        ).SetName("Depthwise 40 channels at batch 1, ten channels to a work item");
        yield return new TestCaseData(
            DepthwiseProblem([10, 10], [3, 3], [1, 1], [1, 1], [1, 1], Boundary.Zero, batch: 4, channels: 300)
        ).SetName("Depthwise 300 channels at batch 4, about eight runs of channels a thread, the last one short");
        yield return new TestCaseData(
            DepthwiseProblem([12, 12], [3, 3], [1, 1], [1, 1], [1, 1], new Boundary(BoundaryKind.Reflect), 4, 103)
        ).SetName("Depthwise reflect, 412 planes in about eight items a thread, the last one short");
        yield return new TestCaseData(DepthwiseProblem([60], [3], [5], [1], [1], Boundary.Zero)).SetName(
            "Depthwise 1-D stride 5, the dense kernel"
        );
        yield return new TestCaseData(
            DepthwiseProblem([9, 150], [3, 3], [2, 1], [1, 1], [1, 1], new Boundary(BoundaryKind.Nearest))
        ).SetName("Depthwise stride 2 across rows, long rows summed straight into y");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [37, 70],
                    KernelSize = [7, 7],
                    PadBefore = [3, 3],
                    PadAfter = [3, 3],
                    Flip = true,
                }
            )
        ).SetName("Single image same 7x7");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [300],
                    KernelSize = [33],
                }
            )
        ).SetName("Signal valid 33");
        // Tiles of the plane kernel: several segments of a long row, several runs of rows, strided rows.
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [10000],
                    KernelSize = [9],
                    PadBefore = [4],
                    PadAfter = [4],
                    Boundary = new Boundary(BoundaryKind.Wrap),
                }
            )
        ).SetName("Long signal wrap, three segments");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [300, 400],
                    KernelSize = [5, 5],
                    PadBefore = [2, 2],
                    PadAfter = [2, 2],
                    Boundary = Boundary.Constant(-0.5f),
                }
            )
        ).SetName("Large image constant, two runs of rows");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 3,
                    OutChannels = 3,
                    InputSize = [5, 9, 11],
                    KernelSize = [2, 3, 3],
                    PadBefore = [1, 0, 2],
                    PadAfter = [0, 1, 1],
                    Stride = [2, 2, 1],
                    Dilation = [1, 2, 1],
                    Groups = 3,
                    Boundary = new Boundary(BoundaryKind.Mirror),
                }
            )
        ).SetName("Depthwise 3-D strided dilated mirror");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 4,
                    OutChannels = 8,
                    InputSize = [6, 7, 8],
                    KernelSize = [3, 3, 3],
                    PadBefore = [1, 1, 1],
                    PadAfter = [1, 1, 1],
                }
            )
        ).SetName("3-D 3x3x3 pad 1");
        // Row blocks (16 lanes, at most 16 output channels, rows a whole number of vectors): a partial channel
        // block and a partial block of vectors, and groups.
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 3,
                    OutChannels = 10,
                    InputSize = [3, 5, 16],
                    KernelSize = [3, 3, 3],
                    PadBefore = [1, 1, 1],
                    PadAfter = [1, 1, 1],
                }
            )
        ).SetName("3-D rows of 16, 10 output channels");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 6,
                    OutChannels = 14,
                    InputSize = [3, 34],
                    KernelSize = [3, 3],
                    Groups = 2,
                }
            )
        ).SetName("Grouped 3x3 valid, rows of 32, 7 output channels per group");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 6,
                    OutChannels = 9,
                    InputSize = [10, 12],
                    KernelSize = [3, 2],
                    PadBefore = [2, 1],
                    PadAfter = [0, 2],
                    Stride = [2, 3],
                    Dilation = [2, 1],
                    Groups = 3,
                    Flip = true,
                    Boundary = new Boundary(BoundaryKind.Reflect),
                }
            )
        ).SetName("Grouped strided dilated reflect");
    }

    /// <summary>A depthwise problem, <paramref name="pad"/> on both sides.</summary>
    private static ConvProblem DepthwiseProblem(
        int[] input,
        int[] kernel,
        int[] stride,
        int[] dilation,
        int[] pad,
        Boundary boundary,
        int batch = 2,
        int channels = 3
    ) =>
        new(
            new()
            {
                Batch = batch,
                InChannels = channels,
                OutChannels = channels,
                InputSize = input,
                KernelSize = kernel,
                PadBefore = pad,
                PadAfter = pad,
                Stride = stride,
                Dilation = dilation,
                Groups = channels,
                Boundary = boundary,
            }
        );

    [TestCaseSource(nameof(KernelPathCases))]
    public void Matches_the_reference_on_every_operation_and_thread_count(ConvProblem problem)
    {
        foreach (var operation in Enum.GetValues<ConvOperation>())
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var verdict = Compare(problem, operation, new CpuEngine(threads), 1234);
            Assert.That(verdict.Passed, Is.True, $"{operation}, {threads} threads: {problem}\n{verdict}");
        }
    }

    [TestCaseSource(nameof(KernelPathCases))]
    public void Matches_the_reference_with_every_vector_width(ConvProblem problem)
    {
        // Every width runs on every machine, whatever the CPU would choose: 16 lanes (AVX-512), 8 (AVX2) and
        // 4 (Vector128 / portable). The runtime emulates a width the CPU lacks.
        foreach (var operation in Enum.GetValues<ConvOperation>())
        foreach (int lanes in new[] { 4, 8, 16 })
        {
            var verdict = Compare(problem, operation, new CpuEngine(2) { Lanes = lanes }, 4321);
            Assert.That(verdict.Passed, Is.True, $"{operation}, {lanes} lanes: {problem}\n{verdict}");
        }
    }

    /// <summary>The random problems whose weight gradient has several input channels per group.</summary>
    public static IEnumerable<TestCaseData> SeveralChannelCases() =>
        from seed in Enumerable.Range(0, 60)
        let problem = RandomProblem(seed)
        where !problem.Unshared && problem.InChannelsPerGroup >= 2
        select new TestCaseData(seed).SetName($"Random problem {seed} GradWeights in runs of 2 channels");

    [TestCaseSource(nameof(SeveralChannelCases))]
    public void Weight_gradient_matches_the_reference_in_runs_of_input_channels(int seed)
    {
        // Positions address two input channels' planes at a time, as in a problem too large for int offsets.
        var problem = RandomProblem(seed);
        var engine = new CpuEngine(2) { PositionOffsetLimit = 2 * new Geometry(problem).ExtendedVolume };
        var verdict = Compare(problem, ConvOperation.GradWeights, engine, seed);
        Assert.That(verdict.Passed, Is.True, $"{problem}\n{verdict}");
    }

    /// <summary>The random problems whose forward map, or input gradient with unit strides and a constant outside x,
    /// runs the dense kernel on an extended operand of several batches (x, or dy extended by zeros).</summary>
    public static IEnumerable<TestCaseData> SlicedCases() =>
        from seed in Enumerable.Range(0, 60)
        let problem = RandomProblem(seed)
        where !problem.Unshared && problem.Batch >= 2
        where problem.InChannelsPerGroup > 1 || problem.OutChannelsPerGroup > 1
        let s = new Geometry(problem)
        from operation in new[] { ConvOperation.Forward, ConvOperation.GradInput }
        where
            operation == ConvOperation.Forward
                ? !s.ExtendedIsInput
                : CpuEngine.GradientIsForward(problem, s) && !PlaneBox.Gradient(s).IsInput
        select new TestCaseData(seed, operation).SetName(
            $"Random problem {seed} {operation} extended one batch at a time"
        );

    [TestCaseSource(nameof(SlicedCases))]
    public void Matches_the_reference_with_the_operand_extended_one_batch_at_a_time(int seed, ConvOperation operation)
    {
        // A slice of one float holds one batch: every batch is extended just before the kernel reads it (slices are
        // for one thread).
        var problem = RandomProblem(seed);
        foreach (int lanes in new[] { 8, 16 })
        {
            var engine = new CpuEngine(1) { SliceFloats = 1, Lanes = lanes };
            var verdict = Compare(problem, operation, engine, seed);
            Assert.That(verdict.Passed, Is.True, $"{lanes} lanes: {problem}\n{verdict}");
        }
    }

    /// <summary>
    /// Runs the FFT path (forced) at 1 and 2 threads and every vector width of its direct fallback, and
    /// judges each answer against the reference engine.
    /// </summary>
    private static void AssertForcedFftMatchesReference(
        ConvProblem problem,
        Tensor x,
        Tensor w,
        Action<Tensor>? alsoCheck = null
    )
    {
        var parity = ParityProblem.Of(problem, ConvOperation.Forward, x, w);
        var expected = parity.Run(new ReferenceEngine());
        foreach (int threads in new[] { 1, 2 })
        foreach (int lanes in new[] { 4, 8, 16 })
        {
            var actual = new CpuEngine(threads) { ForceFft = true, Lanes = lanes }.Forward(problem, x, w);
            alsoCheck?.Invoke(actual);
            var verdict = ParityAssert.Judge(actual, expected, parity);
            Assert.That(verdict.Passed, Is.True, $"{threads} threads, {lanes} lanes: {problem}\n{verdict}");
        }
    }

    public static IEnumerable<TestCaseData> FftCases()
    {
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [5000],
                    KernelSize = [100],
                    Flip = true,
                }
            ),
            false
        ).SetName("FFT signal valid 100");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 3,
                    OutChannels = 3,
                    InputSize = [3000],
                    KernelSize = [70],
                    PadBefore = [40],
                    PadAfter = [29],
                    Dilation = [2],
                    Groups = 3,
                    Boundary = Boundary.Constant(0.75f),
                }
            ),
            false
        ).SetName("FFT depthwise dilated constant");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [4, 2500],
                    KernelSize = [1, 64],
                    PadBefore = [0, 32],
                    PadAfter = [0, 31],
                    Boundary = new Boundary(BoundaryKind.Reflect),
                }
            ),
            false
        ).SetName("FFT rows of an image, reflect");
        // Zero stretches: there the FFT answer cannot be proven float32-accurate and is summed directly.
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [6000],
                    KernelSize = [80],
                    PadBefore = [79],
                    PadAfter = [79],
                }
            ),
            true
        ).SetName("FFT signal with zero stretches");
        // Two-dimensional tiles (row-column transforms).
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [300, 260],
                    KernelSize = [31, 31],
                    PadBefore = [15, 15],
                    PadAfter = [15, 15],
                    Flip = true,
                }
            ),
            false
        ).SetName("FFT 2-D image same 31x31");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 2,
                    OutChannels = 2,
                    InputSize = [3, 90, 120],
                    KernelSize = [1, 9, 13],
                    PadBefore = [0, 8, 6],
                    PadAfter = [0, 8, 6],
                    Dilation = [1, 2, 1],
                    Groups = 2,
                    Boundary = new Boundary(BoundaryKind.Reflect),
                }
            ),
            false
        ).SetName("FFT 2-D depthwise dilated reflect");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [200, 190],
                    KernelSize = [17, 11],
                    PadBefore = [8, 5],
                    PadAfter = [8, 5],
                    Boundary = Boundary.Constant(-2f),
                }
            ),
            true
        ).SetName("FFT 2-D image with zero stretches");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [300, 7],
                    KernelSize = [65, 1],
                    PadBefore = [32, 0],
                    PadAfter = [32, 0],
                    Flip = true,
                }
            ),
            false
        ).SetName("FFT 2-D column kernel");
        yield return new TestCaseData(
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [160, 150],
                    KernelSize = [9, 7],
                    PadBefore = [8, 9],
                    PadAfter = [8, 9],
                    Dilation = [2, 3],
                    Flip = true,
                }
            ),
            false
        ).SetName("FFT 2-D image dilated (2, 3)");
    }

    [Test]
    public void Two_dimensional_kernels_get_two_dimensional_FFT_tiles()
    {
        var tile = FftTiles.ChooseTile(
            new Geometry(
                new ConvProblem(
                    new()
                    {
                        Batch = 1,
                        InChannels = 1,
                        OutChannels = 1,
                        InputSize = [1024, 1024],
                        KernelSize = [31, 31],
                        PadBefore = [15, 15],
                        PadAfter = [15, 15],
                    }
                )
            )
        );
        Assert.That(tile, Is.Not.Null, "a 31x31 kernel on a large image is cheaper by FFT");
        Assert.That(tile!.Value.Rows, Is.GreaterThan(1));
        Assert.That(
            FftTiles.ChooseTile(
                new Geometry(
                    new ConvProblem(
                        new()
                        {
                            Batch = 1,
                            InChannels = 1,
                            OutChannels = 1,
                            InputSize = [1024, 1024],
                            KernelSize = [3, 3],
                            PadBefore = [1, 1],
                            PadAfter = [1, 1],
                        }
                    )
                )
            ),
            Is.Null
        );
    }

    [Test]
    public void The_2D_FFT_path_sums_directly_where_small_results_sit_beside_large_inputs()
    {
        // Inputs of 1e6 in one half of the image and 1e-6 in the other share tiles: along the seam and in
        // the small half the transform's error (relative to the large values) exceeds the float32 bound of
        // the small results, so those elements must be summed directly.
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 1,
                OutChannels = 1,
                InputSize = [160, 150],
                KernelSize = [21, 21],
                PadBefore = [10, 10],
                PadAfter = [10, 10],
            }
        );
        var random = new Random(5);
        var x = RandomProblems.Uniform(problem.InputShape, random);
        var w = RandomProblems.Uniform(problem.WeightShape, random);
        for (int i = 0; i < x.Length; i++)
            x.Span[i] *= i % 150 < 75 ? 1e6f : 1e-6f;
        AssertForcedFftMatchesReference(problem, x, w);
    }

    [Test]
    public void The_FFT_path_sums_isolated_unproven_elements_alone()
    {
        // Zero windows exactly one kernel long: one output each is exactly 0 with S = 0, which no FFT answer
        // can prove; its neighbours are proven. Few unproven elements per tile take the one-by-one path.
        var (problem, x, w) = Signal(6000, 80, seed: 11);
        foreach (int start in new[] { 700, 2500, 4100 })
            x.Span.Slice(start, 80).Clear();
        AssertForcedFftMatchesReference(
            problem,
            x,
            w,
            actual => Assert.That(actual.Span[2500], Is.Zero, "summed directly, not taken from the transform")
        );
    }

    /// <summary>A NaN or Inf in x, with the FFT path forced, gives the reference's answer: NaN or Inf only in the
    /// windows that read it. The engine sums such x directly; were it transformed, the tile's check would find every
    /// element it spread to unproven and sum those directly (this passes without the engine's guard too).</summary>
    [TestCase(float.NaN)]
    [TestCase(float.NegativeInfinity)]
    public void The_forced_FFT_path_keeps_NaN_and_Inf_of_x_in_the_windows_that_read_them(float value)
    {
        var (problem, x, w) = Signal(5000, 100, seed: 12);
        x.Span[2500] = value;
        AssertForcedFftMatchesReference(problem, x, w);
    }

    /// <summary>A problem of one signal of <paramref name="length"/> and one kernel of <paramref name="taps"/>, with
    /// random x and w from <paramref name="seed"/>.</summary>
    private static (ConvProblem Problem, Tensor X, Tensor W) Signal(int length, int taps, int seed)
    {
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 1,
                OutChannels = 1,
                InputSize = [length],
                KernelSize = [taps],
            }
        );
        var random = new Random(seed);
        return (
            problem,
            RandomProblems.Uniform(problem.InputShape, random),
            RandomProblems.Uniform(problem.WeightShape, random)
        );
    }

    [TestCaseSource(nameof(FftCases))]
    public void The_FFT_path_matches_the_reference_element_by_element(ConvProblem problem, bool zeroStretches)
    {
        var random = new Random(99);
        var x = RandomProblems.Uniform(problem.InputShape, random);
        var w = RandomProblems.Uniform(problem.WeightShape, random);
        if (zeroStretches)
            for (int i = 0; i < x.Length; i++)
                if (i % 2000 < 900)
                    x.Span[i] = 0;
        AssertForcedFftMatchesReference(problem, x, w);
    }

    [Test]
    public void Keeps_NaN_and_Inf_where_the_reference_has_them_when_weights_are_not_finite()
    {
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 2,
                OutChannels = 3,
                InputSize = [6, 5],
                KernelSize = [3, 3],
                PadBefore = [1, 1],
                PadAfter = [1, 1],
            }
        );
        var random = new Random(7);
        var x = RandomProblems.Uniform(problem.InputShape, random);
        var w = RandomProblems.Uniform(problem.WeightShape, random);
        w.Span[4] = float.PositiveInfinity;
        var verdict = ParityAssert.JudgeAgainstReference(
            new CpuEngine(),
            ParityProblem.Of(problem, ConvOperation.Forward, x, w)
        );
        Assert.That(verdict.Passed, Is.True, verdict.ToString());
    }

    /// <summary>The input gradient with an Inf in w, and the weight gradient with an Inf in dy: the fast sums would
    /// multiply it by the other operand's extended zeros (NaN) where the reference has no such term, so both go to
    /// the exact engine, as the forward map does with an Inf in w. Neither fallback was tested before.</summary>
    [TestCase(ConvOperation.GradInput, 1)]
    [TestCase(ConvOperation.GradInput, 2)]
    [TestCase(ConvOperation.GradWeights, 1)]
    [TestCase(ConvOperation.GradWeights, 2)]
    public void Keeps_NaN_and_Inf_where_the_reference_has_them_in_gradients(ConvOperation operation, int threads)
    {
        var problem = DenseByOne([6, 14]);
        var (first, second) = RandomProblems.Operands(problem, operation, 9);
        // GradInput's operands are (dy, w), GradWeights' (x, dy): the Inf goes into the second, at w's first tap or
        // dy's first position, a corner either way.
        second.Span[0] = float.PositiveInfinity;
        var verdict = ParityAssert.JudgeAgainstReference(
            new CpuEngine(threads),
            ParityProblem.Of(problem, operation, first, second)
        );
        Assert.That(verdict.Passed, Is.True, verdict.ToString());
    }

    /// <summary>Weights of over 64K floats are checked in parts, one per work item: an Inf in the first, a middle or
    /// the last part.</summary>
    [TestCase(0)]
    [TestCase(65536 + 5)]
    [TestCase(64 * 128 * 9 - 1)]
    public void Keeps_NaN_and_Inf_where_the_reference_has_them_in_any_part_of_large_weights(int infinite)
    {
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 128,
                OutChannels = 64,
                InputSize = [4, 4],
                KernelSize = [3, 3],
                PadBefore = [1, 1],
                PadAfter = [1, 1],
            }
        );
        var random = new Random(8);
        var x = RandomProblems.Uniform(problem.InputShape, random);
        var w = RandomProblems.Uniform(problem.WeightShape, random);
        w.Span[infinite] = float.PositiveInfinity;
        var verdict = ParityAssert.JudgeAgainstReference(
            new CpuEngine(2),
            ParityProblem.Of(problem, ConvOperation.Forward, x, w)
        );
        Assert.That(verdict.Passed, Is.True, verdict.ToString());
    }

    [Test]
    public void Stacked_small_planes_read_no_constant_left_by_an_earlier_call()
    {
        // One thread, so every call reuses the same buffers: a box whose constant or padding differs from the last
        // call's, a buffer a reflected plane (not stacked) was written to, or a stride-2 call, whose 9x9 box is the
        // same but is extended into the buffer it splits from, must be extended again in full. So must a box split
        // straight into phases laid out otherwise (another width or batch: another pitch), and a box split by rows
        // after the same box split by columns, which went straight into the tile and left the buffer it splits from
        // with an older constant.
        var calls = new (Boundary Boundary, int Pad, int[] Stride, int Lanes, int Batch)[]
        {
            (Boundary.Constant(0.25f), 1, [1, 1], 16, 4),
            (Boundary.Constant(-2f), 1, [1, 1], 16, 4),
            (Boundary.Zero, 1, [1, 1], 16, 4),
            (Boundary.Zero, 2, [1, 1], 16, 4),
            (Boundary.Constant(0.25f), 1, [1, 1], 16, 4),
            (new Boundary(BoundaryKind.Reflect), 1, [1, 1], 16, 4),
            (Boundary.Constant(0.25f), 1, [1, 1], 16, 4),
            (Boundary.Constant(0.25f), 1, [2, 2], 16, 4),
            (Boundary.Constant(-2f), 1, [2, 2], 16, 4),
            (Boundary.Constant(-2f), 1, [1, 1], 16, 4),
            (Boundary.Constant(-2f), 1, [2, 2], 16, 4),
            (Boundary.Constant(-2f), 1, [2, 2], 16, 2),
            (Boundary.Constant(-2f), 1, [2, 2], 8, 4),
            (Boundary.Constant(-2f), 1, [2, 2], 8, 2),
            (Boundary.Constant(0.25f), 1, [2, 1], 8, 4),
            (Boundary.Constant(-2f), 1, [1, 2], 8, 4),
            (Boundary.Constant(-2f), 1, [2, 1], 8, 4),
        };
        foreach (var (boundary, pad, stride, lanes, batch) in calls)
        {
            var problem = DepthwiseProblem([7, 7], [3, 3], stride, [1, 1], [pad, pad], boundary, batch);
            var verdict = Compare(problem, ConvOperation.Forward, new CpuEngine(threads: 1) { Lanes = lanes }, 77);
            Assert.That(verdict.Passed, Is.True, $"{lanes} lanes: {problem}\n{verdict}");
        }
    }

    [Test]
    public void A_wrong_answer_fails_the_same_judgement()
    {
        // The comparison above can fail: one output moved by a tenth of its magnitude is caught.
        var problem = new ConvProblem(
            new()
            {
                Batch = 2,
                InChannels = 24,
                OutChannels = 37,
                InputSize = [9, 11],
                KernelSize = [3, 3],
                PadBefore = [1, 1],
                PadAfter = [1, 1],
            }
        );
        var verdict = Compare(
            problem,
            ConvOperation.Forward,
            new CpuEngine(),
            1234,
            actual =>
            {
                actual.Span[100] *= 1.1f;
                return actual;
            }
        );
        Assert.That(verdict.Passed, Is.False);
    }

    [Test]
    public void A_result_handed_back_is_the_memory_of_the_next_result_of_its_size_and_still_right()
    {
        // An output size no other test uses (1 x 7 x 13 x 17), so that tests running alongside do not take it first.
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 3,
                OutChannels = 7,
                InputSize = [13, 17],
                KernelSize = [3, 3],
                PadBefore = [1, 1],
                PadAfter = [1, 1],
            }
        );
        var random = new Random(11);
        var x = RandomProblems.Uniform(problem.InputShape, random);
        var w = RandomProblems.Uniform(problem.WeightShape, random);
        var engine = new CpuEngine(1);
        var first = engine.Forward(problem, x, w);
        first.Span.Fill(float.NaN);
        Assert.That(CpuEngine.Recycle(first), Is.True);
        Assert.That(CpuEngine.Recycle(first), Is.False, "a result is taken back once");
        bool reused = false;
        // The judge's call is the next result of that size; every element of it is written again, so none of the
        // NaN left in the memory shows.
        var verdict = ParityAssert.JudgeAgainstReference(
            engine,
            ParityProblem.Of(problem, ConvOperation.Forward, x, w),
            actual =>
            {
                reused = actual.Data.Equals(first.Data);
                return actual;
            }
        );
        Assert.That(reused, Is.True, "the next result reuses the memory handed back");
        Assert.That(verdict.Passed, Is.True, verdict.ToString());
    }

    [Test]
    public void Only_its_own_results_go_back_to_the_engine()
    {
        Assert.That(CpuEngine.Recycle(new Tensor(new float[91], 7, 13)), Is.False);
    }

    [Test]
    public void A_repeated_weight_gradient_allocates_no_table_of_its_size()
    {
        // The weight gradient's steps are one offset per (batch, output position): 4 x 64 x 64 of them, a 128 KB
        // table that each call allocated (gradw-a's 200 KB one made gen-2 collections in the bench).
        var problem = new ConvProblem(
            new()
            {
                Batch = 4,
                InChannels = 4,
                OutChannels = 16,
                InputSize = [64, 64],
                KernelSize = [3, 3],
                PadBefore = [1, 1],
                PadAfter = [1, 1],
            }
        );
        var random = new Random(12);
        var x = RandomProblems.Uniform(problem.InputShape, random);
        var dy = RandomProblems.Uniform(problem.OutputShape, random);
        // One thread: the work runs on this thread, where the allocations are counted.
        var engine = new CpuEngine(1);
        var first = engine.GradWeights(problem, x, dy);
        float[] expected = first.Span.ToArray();
        CpuEngine.Recycle(first);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var second = engine.GradWeights(problem, x, dy);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(second.Span.ToArray(), Is.EqualTo(expected), "the second call's result");
        Assert.That(allocated, Is.LessThan(32 << 10), "bytes allocated by the second call");
    }
}
