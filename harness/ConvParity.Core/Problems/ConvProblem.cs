using ConvParity.Tensors;

namespace ConvParity.Problems;

/// <summary>
/// The one general convolution every library call lowers to. With input x (N, C, I...), weights
/// w (K, C/G, k...) and output y (N, K, O...), the forward map is the cross-correlation
/// <code>y[n, k, o] = sum over c in k's group, j: w[k, c, j'] * ext(x)[n, c, o*s + j*d - padBefore]</code>
/// where j' = j, or k-1-j on every spatial axis when <see cref="Flip"/> is set (true convolution), and
/// ext extends x by <see cref="Boundary"/>. Unshared weights (Theano) have one kernel per output
/// position: (K, O..., C/G, k...). Instances are immutable and always valid.
/// </summary>
public sealed class ConvProblem
{
    /// <summary>The largest number of spatial axes.</summary>
    public const int MaxRank = 3;

    private readonly int[] _inputSize, _kernelSize, _padBefore, _padAfter, _stride, _dilation, _outputSize;

    /// <summary>Builds and validates a problem; per-axis arguments left null default to 0 (pads) or 1 (stride, dilation).</summary>
    /// <exception cref="ArgumentException">An argument is out of range; the message names it and its value.</exception>
    public ConvProblem(
        int batch, int inChannels, int outChannels, int[] inputSize, int[] kernelSize,
        int[]? padBefore = null, int[]? padAfter = null, int[]? stride = null, int[]? dilation = null,
        int groups = 1, bool flip = false, Boundary boundary = default, bool unshared = false)
    {
        ArgumentNullException.ThrowIfNull(inputSize);
        ArgumentNullException.ThrowIfNull(kernelSize);
        int rank = inputSize.Length;
        if (rank is < 1 or > MaxRank)
            throw new ArgumentException($"inputSize has {rank} spatial axes [{Tensor.FormatShape(inputSize)}]; a ConvProblem has 1 to {MaxRank}.", nameof(inputSize));

        _inputSize = PerAxis(inputSize, rank, 0, nameof(inputSize));
        _kernelSize = PerAxis(kernelSize, rank, 0, nameof(kernelSize));
        _padBefore = PerAxis(padBefore, rank, 0, nameof(padBefore));
        _padAfter = PerAxis(padAfter, rank, 0, nameof(padAfter));
        _stride = PerAxis(stride, rank, 1, nameof(stride));
        _dilation = PerAxis(dilation, rank, 1, nameof(dilation));

        RequireAtLeast(batch, 1, nameof(batch));
        RequireAtLeast(inChannels, 1, nameof(inChannels));
        RequireAtLeast(outChannels, 1, nameof(outChannels));
        RequireAtLeast(groups, 1, nameof(groups));
        RequireAllAtLeast(_inputSize, 1, nameof(inputSize));
        RequireAllAtLeast(_kernelSize, 1, nameof(kernelSize));
        RequireAllAtLeast(_padBefore, 0, nameof(padBefore));
        RequireAllAtLeast(_padAfter, 0, nameof(padAfter));
        RequireAllAtLeast(_stride, 1, nameof(stride));
        RequireAllAtLeast(_dilation, 1, nameof(dilation));
        if (inChannels % groups != 0)
            throw new ArgumentException($"inChannels {inChannels} is not divisible by groups {groups}.", nameof(groups));
        if (outChannels % groups != 0)
            throw new ArgumentException($"outChannels {outChannels} is not divisible by groups {groups}.", nameof(groups));
        if (boundary.Kind == BoundaryKind.Constant && boundary.Value == 0f) boundary = Boundary.Zero;

        Batch = batch;
        InChannels = inChannels;
        OutChannels = outChannels;
        Groups = groups;
        Flip = flip;
        Boundary = boundary;
        Unshared = unshared;

        _outputSize = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            long effective = ((long)_kernelSize[a] - 1) * _dilation[a] + 1;
            long span = (long)_inputSize[a] + _padBefore[a] + _padAfter[a] - effective;
            if (effective > int.MaxValue || span + effective > int.MaxValue)
                throw new ArgumentException($"axis {a}: input {_inputSize[a]} + pads {_padBefore[a]}+{_padAfter[a]} or effective kernel {effective} overflow.", nameof(inputSize));
            if (span < 0)
                throw new ArgumentException(
                    $"axis {a}: the output is empty: input {_inputSize[a]} + padBefore {_padBefore[a]} + padAfter {_padAfter[a]} is shorter than the effective kernel {effective} (kernel {_kernelSize[a]}, dilation {_dilation[a]}).",
                    nameof(kernelSize));
            _outputSize[a] = (int)(span / _stride[a] + 1);
        }

        CheckElementCount(InputShape, "input");
        CheckElementCount(WeightShape, "weights");
        CheckElementCount(OutputShape, "output");
    }

    /// <summary>The number of spatial axes (1 to 3).</summary>
    public int Rank => _inputSize.Length;
    /// <summary>N: independent images.</summary>
    public int Batch { get; }
    /// <summary>C: input channels.</summary>
    public int InChannels { get; }
    /// <summary>K: output channels.</summary>
    public int OutChannels { get; }
    /// <summary>G: input and output channels split into G contiguous blocks, each convolved alone.</summary>
    public int Groups { get; }
    /// <summary>Whether the kernel is reversed on every spatial axis (true convolution) rather than not (correlation).</summary>
    public bool Flip { get; }
    /// <summary>How the input is extended outside its extent.</summary>
    public Boundary Boundary { get; }
    /// <summary>Whether every output position has its own kernel (Theano's unshared convolution).</summary>
    public bool Unshared { get; }
    /// <summary>Input spatial size per axis.</summary>
    public IReadOnlyList<int> InputSize => _inputSize;
    /// <summary>Kernel spatial size per axis.</summary>
    public IReadOnlyList<int> KernelSize => _kernelSize;
    /// <summary>Positions added before the input on each axis.</summary>
    public IReadOnlyList<int> PadBefore => _padBefore;
    /// <summary>Positions added after the input on each axis.</summary>
    public IReadOnlyList<int> PadAfter => _padAfter;
    /// <summary>Step between output positions, per axis.</summary>
    public IReadOnlyList<int> Stride => _stride;
    /// <summary>Step between kernel taps, per axis.</summary>
    public IReadOnlyList<int> Dilation => _dilation;
    /// <summary>Output spatial size per axis: (in + padBefore + padAfter - (k-1)*d - 1) / s + 1.</summary>
    public IReadOnlyList<int> OutputSize => _outputSize;

    /// <summary>C / G.</summary>
    public int InChannelsPerGroup => InChannels / Groups;
    /// <summary>K / G.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>(N, C, I...).</summary>
    public int[] InputShape => [Batch, InChannels, .. _inputSize];
    /// <summary>(K, C/G, k...) or, unshared, (K, O..., C/G, k...).</summary>
    public int[] WeightShape => Unshared
        ? [OutChannels, .. _outputSize, InChannelsPerGroup, .. _kernelSize]
        : [OutChannels, InChannelsPerGroup, .. _kernelSize];
    /// <summary>(N, K, O...).</summary>
    public int[] OutputShape => [Batch, OutChannels, .. _outputSize];

    /// <summary>The shapes of the two operands of <paramref name="operation"/>, in order.</summary>
    public (int[] First, int[] Second) OperandShapes(ConvOperation operation) => operation switch
    {
        ConvOperation.Forward => (InputShape, WeightShape),
        ConvOperation.GradInput => (OutputShape, WeightShape),
        ConvOperation.GradWeights => (InputShape, OutputShape),
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>The shape of the result of <paramref name="operation"/>.</summary>
    public int[] ResultShape(ConvOperation operation) => operation switch
    {
        ConvOperation.Forward => OutputShape,
        ConvOperation.GradInput => InputShape,
        ConvOperation.GradWeights => WeightShape,
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    /// <summary>
    /// An upper bound on the number of products summed into one element of the result of
    /// <paramref name="operation"/>: the n of the error bound gamma_n.
    /// </summary>
    public long ProductsPerResult(ConvOperation operation)
    {
        long kernelVolume = Volume(_kernelSize);
        return operation switch
        {
            ConvOperation.Forward => InChannelsPerGroup * kernelVolume,
            // An input element is read by at most k * (times it appears in the extended axis) taps per axis.
            ConvOperation.GradInput => OutChannelsPerGroup * Enumerable.Range(0, Rank).Aggregate(1L, (n, a) => n * _kernelSize[a] * Multiplicity(a)),
            ConvOperation.GradWeights => Batch * Volume(_outputSize),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };
    }

    /// <summary>The same problem with another boundary.</summary>
    public ConvProblem WithBoundary(Boundary boundary) => new(
        Batch, InChannels, OutChannels, _inputSize, _kernelSize, _padBefore, _padAfter, _stride, _dilation,
        Groups, Flip, boundary, Unshared);

    /// <summary>The same problem with or without the kernel flip.</summary>
    public ConvProblem WithFlip(bool flip) => new(
        Batch, InChannels, OutChannels, _inputSize, _kernelSize, _padBefore, _padAfter, _stride, _dilation,
        Groups, flip, Boundary, Unshared);

    /// <inheritdoc />
    public override string ToString()
    {
        string Axes(int[] v) => string.Join("x", v);
        string text = $"{(Flip ? "convolution" : "correlation")} rank {Rank}: N={Batch} C={InChannels} K={OutChannels} G={Groups} " +
                      $"in {Axes(_inputSize)} k {Axes(_kernelSize)} pad {Axes(_padBefore)}/{Axes(_padAfter)} " +
                      $"stride {Axes(_stride)} dilation {Axes(_dilation)} out {Axes(_outputSize)} boundary {Boundary}";
        return Unshared ? text + " unshared" : text;
    }

    /// <summary>How many positions of the extended axis <paramref name="axis"/> read the same input element, at most.</summary>
    private long Multiplicity(int axis)
    {
        if (Boundary.ReadsConstant) return 1;
        int n = _inputSize[axis];
        var hits = new long[n];
        for (long p = -(long)_padBefore[axis]; p < n + (long)_padAfter[axis]; p++)
            hits[Boundary.Map((int)p, n)]++;
        return hits.Max();
    }

    private static long Volume(int[] sizes) => sizes.Aggregate(1L, (v, s) => v * s);

    private static int[] PerAxis(int[]? values, int rank, int fallback, string name)
    {
        if (values is null) return Enumerable.Repeat(fallback, rank).ToArray();
        if (values.Length != rank)
            throw new ArgumentException($"{name} [{Tensor.FormatShape(values)}] has {values.Length} entries; the problem has {rank} spatial axes.", name);
        return (int[])values.Clone();
    }

    private static void RequireAtLeast(int value, int minimum, string name)
    {
        if (value < minimum) throw new ArgumentException($"{name} is {value}; it must be at least {minimum}.", name);
    }

    private static void RequireAllAtLeast(int[] values, int minimum, string name)
    {
        if (values.Any(v => v < minimum))
            throw new ArgumentException($"{name} [{Tensor.FormatShape(values)}]: every entry must be at least {minimum}.", name);
    }

    private static void CheckElementCount(int[] shape, string what)
    {
        long count = Tensor.ElementCount(shape, what);
        if (count > Array.MaxLength)
            throw new ArgumentException($"the {what} [{Tensor.FormatShape(shape)}] has {count} elements, more than one array can hold ({Array.MaxLength}).", what);
    }
}
