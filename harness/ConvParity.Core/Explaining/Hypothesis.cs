using System.Globalization;
using ConvParity.Conventions;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Explaining;

/// <summary>
/// One convention: a <see cref="ConvProblem"/> and operation, with how the library's arrays map onto it
/// (views, crops, rounding). Pads are signed: a negative pad means the computation starts inside the
/// input (the input is cropped), which is how stride phases and shifted anchors are expressed for
/// the forward map; for the transposed map the result is embedded in zeros instead.
/// </summary>
public sealed class Hypothesis
{
    private Hypothesis(
        ConvProblem problem,
        ConvOperation operation,
        int[] cropBefore,
        int[] cropAfter,
        ArrayView first,
        ArrayView second,
        ArrayView result,
        int[] resultShape,
        ReferenceAlgorithm algorithm,
        OperandRounding rounding,
        DataLayout data,
        KernelLayout kernel,
        bool kernelAxesReversed
    )
    {
        Problem = problem;
        Operation = operation;
        CropBefore = cropBefore;
        CropAfter = cropAfter;
        First = first;
        Second = second;
        Result = result;
        ResultShape = resultShape;
        Algorithm = algorithm;
        Rounding = rounding;
        Data = data;
        Kernel = kernel;
        KernelAxesReversed = kernelAxesReversed;
    }

    /// <summary>The problem actually solved (on the cropped input when pads are negative).</summary>
    public ConvProblem Problem { get; }

    /// <summary>Forward, or the transposed convolution (GradInput), or GradWeights.</summary>
    public ConvOperation Operation { get; }

    /// <summary>Input elements skipped before the computation starts, per spatial axis.</summary>
    public IReadOnlyList<int> CropBefore { get; }

    /// <summary>Input elements never read at the end, per spatial axis.</summary>
    public IReadOnlyList<int> CropAfter { get; }

    /// <summary>How the first library array is read.</summary>
    public ArrayView First { get; }

    /// <summary>How the second library array is read.</summary>
    public ArrayView Second { get; }

    /// <summary>How the canonical result is laid out in the library's answer.</summary>
    public ArrayView Result { get; }

    /// <summary>The shape of the library's answer.</summary>
    public IReadOnlyList<int> ResultShape { get; }

    /// <summary>Direct or FFT: decides which bound applies.</summary>
    public ReferenceAlgorithm Algorithm { get; }

    /// <summary>The precision the operands are rounded to before the computation.</summary>
    public OperandRounding Rounding { get; }

    /// <summary>The data layout.</summary>
    public DataLayout Data { get; }

    /// <summary>The kernel layout.</summary>
    public KernelLayout Kernel { get; }

    /// <summary>Whether the kernel's spatial axes are stored in another order (W, H instead of H, W; for three axes,
    /// any other order).</summary>
    public bool KernelAxesReversed { get; }

    /// <summary>Signed pad before each spatial axis: positive pads, negative starts inside the input.</summary>
    public int[] PadBefore => [.. Enumerable.Range(0, Problem.Rank).Select(a => Problem.PadBefore[a] - CropBefore[a])];

    /// <summary>Signed pad after each spatial axis.</summary>
    public int[] PadAfter => [.. Enumerable.Range(0, Problem.Rank).Select(a => Problem.PadAfter[a] - CropAfter[a])];

    /// <summary>The spatial size of the x side as the library holds it (before cropping).</summary>
    public int[] FullInputSize =>
        [.. Enumerable.Range(0, Problem.Rank).Select(a => Problem.InputSize[a] + CropBefore[a] + CropAfter[a])];

    /// <summary>The hypothesis that the arrays mean exactly what <paramref name="plan"/> says.</summary>
    public static Hypothesis FromPlan(ConvPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var (first, second) = plan.OperandShapes;
        var zeros = new int[plan.Problem.Rank];
        return new Hypothesis(
            plan.Problem,
            plan.Operation,
            zeros,
            zeros,
            ArrayView.Reshape(first),
            ArrayView.Reshape(second),
            ArrayView.Reshape(plan.Problem.ResultShape(plan.Operation)),
            [.. plan.ResultShape],
            plan.Algorithm,
            OperandRounding.None,
            DataLayout.AsPlanned,
            KernelLayout.AsPlanned,
            false
        );
    }

    /// <summary>
    /// Builds a hypothesis from its settings; null when the settings give no valid problem, an output of
    /// another size than <paramref name="outputSize"/>, or need a crop under a boundary that reads the input's edges.
    /// </summary>
    internal static Hypothesis? Create(
        Frame frame,
        int[] fullInputSize,
        int[] padBefore,
        int[] padAfter,
        bool flip,
        int[] outputSize,
        ConvOperation operation,
        ArrayView first,
        ArrayView second,
        ArrayView result,
        int[] resultShape,
        ReferenceAlgorithm algorithm,
        OperandRounding rounding,
        DataLayout data,
        KernelLayout kernel,
        bool kernelAxesReversed
    )
    {
        int rank = fullInputSize.Length;
        var cropBefore = padBefore.Select(p => Math.Max(0, -p)).ToArray();
        var cropAfter = padAfter.Select(p => Math.Max(0, -p)).ToArray();
        if (!frame.Boundary.ReadsConstant && (cropBefore.Any(c => c > 0) || cropAfter.Any(c => c > 0)))
            return null;
        var inputSize = Enumerable
            .Range(0, rank)
            .Select(a => fullInputSize[a] - cropBefore[a] - cropAfter[a])
            .ToArray();
        if (inputSize.Any(s => s < 1))
            return null;
        var spec = new ConvProblemSpec
        {
            Batch = frame.Batch,
            InChannels = frame.InChannels,
            OutChannels = frame.OutChannels,
            InputSize = inputSize,
            KernelSize = frame.KernelSize,
            PadBefore = [.. padBefore.Select(p => Math.Max(0, p))],
            PadAfter = [.. padAfter.Select(p => Math.Max(0, p))],
            Stride = frame.Stride,
            Dilation = frame.Dilation,
            Groups = frame.Groups,
            Flip = flip,
            Boundary = frame.Boundary,
            Unshared = frame.Unshared,
        };
        if (!ConvProblem.TryCreate(spec, out var problem, out _))
            return null;
        if (!problem.OutputSize.SequenceEqual(outputSize))
            return null;
        return new Hypothesis(
            problem,
            operation,
            cropBefore,
            cropAfter,
            first,
            second,
            result,
            resultShape,
            algorithm,
            rounding,
            data,
            kernel,
            kernelAxesReversed
        );
    }

    /// <summary>The same hypothesis with other signed pads and flip (the output size must stay the same); null when
    /// invalid.</summary>
    public Hypothesis? With(int[] padBefore, int[] padAfter, bool flip) =>
        Create(
            Frame.Of(Problem),
            FullInputSize,
            padBefore,
            padAfter,
            flip,
            [.. Problem.OutputSize],
            Operation,
            First,
            Second,
            Result,
            [.. ResultShape],
            Algorithm,
            Rounding,
            Data,
            Kernel,
            KernelAxesReversed
        );

    /// <summary>The same hypothesis answering in <paramref name="shape"/> (the same elements, unit axes added or
    /// removed).</summary>
    internal Hypothesis WithResultShape(int[] shape) =>
        new(
            Problem,
            Operation,
            [.. CropBefore],
            [.. CropAfter],
            First,
            Second,
            Result,
            shape,
            Algorithm,
            Rounding,
            Data,
            Kernel,
            KernelAxesReversed
        );

    /// <summary>The same hypothesis with the operands rounded to <paramref name="rounding"/>.</summary>
    public Hypothesis WithRounding(OperandRounding rounding) =>
        new(
            Problem,
            Operation,
            [.. CropBefore],
            [.. CropAfter],
            First,
            Second,
            Result,
            [.. ResultShape],
            Algorithm,
            rounding,
            Data,
            Kernel,
            KernelAxesReversed
        );

    /// <summary>The same hypothesis reading the operands and writing the result through other views.</summary>
    public Hypothesis WithViews(ArrayView first, ArrayView second, ArrayView result) =>
        new(
            Problem,
            Operation,
            [.. CropBefore],
            [.. CropAfter],
            first,
            second,
            result,
            [.. ResultShape],
            Algorithm,
            Rounding,
            Data,
            Kernel,
            KernelAxesReversed
        );

    /// <summary>The canonical operands this hypothesis computes with, from the library's two arrays.</summary>
    public (Tensor First, Tensor Second) Operands(Tensor first, Tensor second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var a = First.ToCanonical(Rounded(first));
        var b = Second.ToCanonical(Rounded(second));
        // The x side is cropped for the forward map and the weight gradient; the transposed map embeds its result
        // instead.
        if (Operation != ConvOperation.GradInput)
            a = TensorOps.Crop(a, CropBefore, CropAfter);
        return (a, b);
    }

    /// <summary>Lays a canonical result of <see cref="Problem"/> out as the library's answer.</summary>
    public Tensor LayOut(Tensor canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        if (Operation == ConvOperation.GradInput)
            canonical = TensorOps.Embed(canonical, CropBefore, CropAfter);
        return Result.FromCanonical(canonical, [.. ResultShape]);
    }

    /// <summary>How simple the convention is: 0 for the plainest; each unusual setting adds to it (used to order
    /// equally good matches).</summary>
    public int Complexity =>
        (Data is DataLayout.ChannelsLast ? 1 : 0)
        + (Kernel is KernelLayout.InOut or KernelLayout.SpatialInOut or KernelLayout.OutSpatialIn ? 1 : 0)
        + (KernelAxesReversed ? 2 : 0)
        + (Operation == ConvOperation.GradInput ? 2 : 0)
        + (Rounding != OperandRounding.None ? 3 : 0)
        + Problem.Stride.Count(s => s != 1)
        + Problem.Dilation.Count(d => d != 1)
        + (Problem.Groups != 1 ? 1 : 0)
        + (Problem.Boundary.Kind == BoundaryKind.Zero ? 0 : 1)
        + Enumerable.Range(0, Problem.Rank).Sum(a => Math.Abs(PadBefore[a] - PadAfter[a]) + (PadBefore[a] < 0 ? 2 : 0));

    /// <summary>A key equal for hypotheses that compute the same thing from the same arrays.</summary>
    internal (ConvProblem Problem, ConvOperation Operation, string Views) Key =>
        (
            Problem,
            Operation,
            string.Join(
                "|",
                string.Join(",", CropBefore),
                string.Join(",", CropAfter),
                Rounding,
                ViewKey(First),
                ViewKey(Second),
                ViewKey(Result)
            )
        );

    private static string ViewKey(ArrayView view) =>
        view.KeepsOrder ? "order" : string.Join(",", view.SourceShape) + ":" + string.Join(",", view.Permutation);

    private Tensor Rounded(Tensor t) =>
        Rounding == OperandRounding.None ? t : t.Map(v => Explaining.Rounding.Apply(Rounding, v));

    /// <summary>The convention in words: "true convolution (kernel flipped), valid (no padding)", with stride, layouts
    /// and so on where they are not the plain ones.</summary>
    public string Describe()
    {
        var p = Problem;
        var parts = new List<string>();
        string kind =
            KernelIsPoint ? "product with a 1-point kernel (flip does not matter)"
            : p.Flip ? "true convolution (kernel flipped)"
            : "correlation (kernel not flipped)";
        parts.Add(
            Operation switch
            {
                ConvOperation.GradInput => $"transposed convolution (gradient w.r.t. the input) of a {kind}",
                ConvOperation.GradWeights => $"gradient w.r.t. the weights of a {kind}",
                _ => kind,
            }
        );
        parts.Add(DescribePads());
        if (p.Stride.Any(s => s != 1))
            parts.Add($"stride {string.Join("x", p.Stride)}");
        if (p.Dilation.Any(d => d != 1))
            parts.Add($"dilation {string.Join("x", p.Dilation)}");
        if (p.Groups != 1)
            parts.Add($"{p.Groups} groups");
        if (p.Boundary.Kind != BoundaryKind.Zero && (p.PadBefore.Any(b => b > 0) || p.PadAfter.Any(a => a > 0)))
            parts.Add($"boundary {p.Boundary}");
        if (Data is DataLayout.ChannelsFirst or DataLayout.ChannelsLast)
            parts.Add(Data == DataLayout.ChannelsFirst ? "data (N, C, spatial...)" : "data (N, spatial..., C)");
        if (Kernel is not (KernelLayout.AsPlanned or KernelLayout.Plain))
            parts.Add(
                Kernel switch
                {
                    KernelLayout.OutIn => "kernel (out, in, spatial...)",
                    KernelLayout.InOut => "kernel (in, out, spatial...)",
                    KernelLayout.SpatialInOut => "kernel (spatial..., in, out)",
                    _ => "kernel (out, spatial..., in)",
                }
            );
        if (KernelAxesReversed)
            parts.Add(p.Rank == 2 ? "kernel spatial axes transposed" : "kernel spatial axes permuted");
        if (Rounding != OperandRounding.None)
            parts.Add($"operands rounded to {Explaining.Rounding.Describe(Rounding)}");
        return string.Join(", ", parts);
    }

    private bool KernelIsPoint => Problem.KernelSize.All(k => k == 1);

    private string DescribePads()
    {
        var p = Problem;
        int rank = p.Rank;
        int[] before = PadBefore,
            after = PadAfter;
        var effective = Enumerable.Range(0, rank).Select(a => (p.KernelSize[a] - 1) * p.Dilation[a] + 1).ToArray();
        string pads = string.Join(", ", Enumerable.Range(0, rank).Select(a => $"{before[a]}/{after[a]}"));
        // Positions the last window leaves unread at the end (stride leftovers) do not change the answer.
        bool Leftover(int a) => after[a] <= 0 && -after[a] < p.Stride[a];
        if (Enumerable.Range(0, rank).All(a => before[a] == 0 && (after[a] == 0 || Leftover(a))))
            return "valid (no padding)";
        if (Enumerable.Range(0, rank).All(a => before[a] == effective[a] - 1 && after[a] == effective[a] - 1))
            return "full (pads k-1 on both sides)";
        if (
            Enumerable
                .Range(0, rank)
                .All(a => before[a] >= 0 && after[a] >= 0 && p.OutputSize[a] == FullInputSize[a] && p.Stride[a] == 1)
        )
        {
            string anchors = string.Join(
                ", ",
                Enumerable
                    .Range(0, rank)
                    .Select(a =>
                        (p.Flip ? effective[a] - 1 - before[a] : before[a]).ToString(CultureInfo.InvariantCulture)
                    )
            );
            return $"'same' size, pads before/after {pads} (kernel index {anchors} on output i)";
        }
        if (Enumerable.Range(0, rank).Any(a => before[a] < 0))
            return $"pads before/after {pads} (negative: the first window starts inside the input)";
        return $"pads before/after {pads}";
    }

    /// <inheritdoc />
    public override string ToString() => Describe();
}
