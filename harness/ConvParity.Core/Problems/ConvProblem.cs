using ConvParity.Tensors;

namespace ConvParity.Problems;

/// <summary>
/// The one general convolution every library call lowers to. With input x (N, C, I...), weights
/// w (K, C/G, k...) and output y (N, K, O...), the forward map is the cross-correlation
/// <code>y[n, k, o] = sum over c in k's group, j: w[k, c, j'] * ext(x)[n, c, o*s + j*d - padBefore]</code>
/// where j' = j, or k-1-j on every spatial axis when <see cref="Flip"/> is set (true convolution), and
/// ext extends x by <see cref="Boundary"/>. Unshared weights (Theano) have one kernel per output
/// position: (K, O..., C/G, k...). With <see cref="Bias"/>, forward and transposed convolution add one value per
/// channel of their result: y[n, k, o] += b[k], dx[n, c, i] += b[c]. Instances are immutable and always valid.
/// </summary>
public sealed class ConvProblem : IEquatable<ConvProblem>
{
    /// <summary>The largest number of spatial axes.</summary>
    public const int MaxRank = 3;

    private readonly int[] _inputSize,
        _kernelSize,
        _padBefore,
        _padAfter,
        _stride,
        _dilation,
        _outputSize;
    private readonly IReadOnlyList<int> _inputView,
        _kernelView,
        _padBeforeView,
        _padAfterView,
        _strideView,
        _dilationView,
        _outputView;

    /// <summary>Builds and checks a problem from its named settings.</summary>
    /// <param name="spec">The settings; every list is copied.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size, pad, stride or dilation is out of range; the message names
    /// it and its value.</exception>
    /// <exception cref="ArgumentException">The settings break another rule (ranks, groups, an empty output); the
    /// message says which.</exception>
    public ConvProblem(ConvProblemSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fault = Check(spec, out var axes, out var boundary);
        if (fault is not null)
            throw fault.ToException();
        (_inputSize, _kernelSize, _padBefore, _padAfter, _stride, _dilation, _outputSize) = axes;
        _inputView = Array.AsReadOnly(_inputSize);
        _kernelView = Array.AsReadOnly(_kernelSize);
        _padBeforeView = Array.AsReadOnly(_padBefore);
        _padAfterView = Array.AsReadOnly(_padAfter);
        _strideView = Array.AsReadOnly(_stride);
        _dilationView = Array.AsReadOnly(_dilation);
        _outputView = Array.AsReadOnly(_outputSize);
        Batch = spec.Batch;
        InChannels = spec.InChannels;
        OutChannels = spec.OutChannels;
        Groups = spec.Groups;
        Flip = spec.Flip;
        Boundary = boundary;
        Unshared = spec.Unshared;
        Bias = spec.Bias;
    }

    /// <summary>
    /// Builds a problem from <paramref name="spec"/> without throwing: false, with the reason the
    /// constructor would give, when a setting is out of range.
    /// </summary>
    /// <param name="spec">The settings.</param>
    /// <param name="problem">The problem, or null.</param>
    /// <param name="error">Why the settings give no problem, or null.</param>
    public static bool TryCreate(
        ConvProblemSpec spec,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConvProblem? problem,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error
    )
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fault = Check(spec, out _, out _);
        problem = fault is null ? new ConvProblem(spec) : null;
        error = fault?.Message;
        return fault is null;
    }

    /// <summary>The settings of this problem (with every default filled in).</summary>
    public ConvProblemSpec ToSpec() =>
        new()
        {
            Batch = Batch,
            InChannels = InChannels,
            OutChannels = OutChannels,
            InputSize = _inputView,
            KernelSize = _kernelView,
            PadBefore = _padBeforeView,
            PadAfter = _padAfterView,
            Stride = _strideView,
            Dilation = _dilationView,
            Groups = Groups,
            Flip = Flip,
            Boundary = Boundary,
            Unshared = Unshared,
            Bias = Bias,
        };

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

    /// <summary>Whether the kernel is reversed on every spatial axis (true convolution) rather than not
    /// (correlation).</summary>
    public bool Flip { get; }

    /// <summary>How the input is extended outside its extent.</summary>
    public Boundary Boundary { get; }

    /// <summary>Whether every output position has its own kernel (Theano's unshared convolution).</summary>
    public bool Unshared { get; }

    /// <summary>
    /// Whether forward and transposed convolution add a bias per channel of their result (torch's and ONNX's
    /// <c>bias</c>): y = conv(x, w) + b[k] in <see cref="ConvOperation.Forward"/>, dx = conv^T(dy, w) + b[c] in
    /// <see cref="ConvOperation.GradInput"/>, each a third operand of shape <see cref="BiasShape"/>, added once
    /// after the sum. <see cref="ConvOperation.GradWeights"/> has no bias.
    /// </summary>
    public bool Bias { get; }

    /// <summary>Input spatial size per axis.</summary>
    public IReadOnlyList<int> InputSize => _inputView;

    /// <summary>Kernel spatial size per axis.</summary>
    public IReadOnlyList<int> KernelSize => _kernelView;

    /// <summary>Positions added before the input on each axis.</summary>
    public IReadOnlyList<int> PadBefore => _padBeforeView;

    /// <summary>Positions added after the input on each axis.</summary>
    public IReadOnlyList<int> PadAfter => _padAfterView;

    /// <summary>Step between output positions, per axis.</summary>
    public IReadOnlyList<int> Stride => _strideView;

    /// <summary>Step between kernel taps, per axis.</summary>
    public IReadOnlyList<int> Dilation => _dilationView;

    /// <summary>Output spatial size per axis: (in + padBefore + padAfter - (k-1)*d - 1) / s + 1.</summary>
    public IReadOnlyList<int> OutputSize => _outputView;

    /// <summary>C / G.</summary>
    public int InChannelsPerGroup => InChannels / Groups;

    /// <summary>K / G.</summary>
    public int OutChannelsPerGroup => OutChannels / Groups;

    /// <summary>(N, C, I...).</summary>
    public int[] InputShape => [Batch, InChannels, .. _inputSize];

    /// <summary>(K, C/G, k...) or, unshared, (K, O..., C/G, k...).</summary>
    public int[] WeightShape =>
        Unshared
            ? [OutChannels, .. _outputSize, InChannelsPerGroup, .. _kernelSize]
            : [OutChannels, InChannelsPerGroup, .. _kernelSize];

    /// <summary>(N, K, O...).</summary>
    public int[] OutputShape => [Batch, OutChannels, .. _outputSize];

    /// <summary>The shapes of the two operands of <paramref name="operation"/>, in order.</summary>
    public (int[] First, int[] Second) OperandShapes(ConvOperation operation) =>
        operation switch
        {
            ConvOperation.Forward => (InputShape, WeightShape),
            ConvOperation.GradInput => (OutputShape, WeightShape),
            ConvOperation.GradWeights => (InputShape, OutputShape),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };

    /// <summary>
    /// The shape of the bias operand of <paramref name="operation"/>: (K) for forward, (C) for the gradient w.r.t.
    /// the input (transposed convolution); null when the problem has no <see cref="Bias"/> or the operation takes
    /// none (the gradient w.r.t. the weights).
    /// </summary>
    public int[]? BiasShape(ConvOperation operation) =>
        operation switch
        {
            _ when !Bias && Enum.IsDefined(operation) => null,
            ConvOperation.Forward => [OutChannels],
            ConvOperation.GradInput => [InChannels],
            ConvOperation.GradWeights => null,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };

    /// <summary>The shape of the result of <paramref name="operation"/>.</summary>
    public int[] ResultShape(ConvOperation operation) =>
        operation switch
        {
            ConvOperation.Forward => OutputShape,
            ConvOperation.GradInput => InputShape,
            ConvOperation.GradWeights => WeightShape,
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
        };

    /// <summary>
    /// An upper bound on the number of products summed into one element of the result of
    /// <paramref name="operation"/>: the n of the error bound gamma_n. A bias counts as one more term.
    /// </summary>
    public long ProductsPerResult(ConvOperation operation)
    {
        long kernelVolume = Volume(_kernelSize);
        long bias = BiasShape(operation) is null ? 0 : 1;
        return bias
            + operation switch
            {
                ConvOperation.Forward => InChannelsPerGroup * kernelVolume,
                // An input element is read by at most k * (times it appears in the extended axis) taps per axis.
                ConvOperation.GradInput => OutChannelsPerGroup
                    * Enumerable.Range(0, Rank).Aggregate(1L, (n, a) => n * _kernelSize[a] * Multiplicity(a)),
                ConvOperation.GradWeights => Batch * Volume(_outputSize),
                _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
            };
    }

    /// <summary>The same problem with another boundary.</summary>
    public ConvProblem WithBoundary(Boundary boundary) => new(ToSpec() with { Boundary = boundary });

    /// <summary>The same problem with or without the bias.</summary>
    public ConvProblem WithBias(bool bias) => new(ToSpec() with { Bias = bias });

    /// <summary>The same problem with or without the kernel flip.</summary>
    public ConvProblem WithFlip(bool flip) => new(ToSpec() with { Flip = flip });

    /// <summary>Whether <paramref name="other"/> is the same problem: every setting equal, axis by axis.</summary>
    public bool Equals(ConvProblem? other) =>
        other is not null
        && (
            ReferenceEquals(this, other)
            || Batch == other.Batch
                && InChannels == other.InChannels
                && OutChannels == other.OutChannels
                && Groups == other.Groups
                && Flip == other.Flip
                && Boundary == other.Boundary
                && Unshared == other.Unshared
                && Bias == other.Bias
                && _inputSize.AsSpan().SequenceEqual(other._inputSize)
                && _kernelSize.AsSpan().SequenceEqual(other._kernelSize)
                && _padBefore.AsSpan().SequenceEqual(other._padBefore)
                && _padAfter.AsSpan().SequenceEqual(other._padAfter)
                && _stride.AsSpan().SequenceEqual(other._stride)
                && _dilation.AsSpan().SequenceEqual(other._dilation)
        );

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ConvProblem);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Batch);
        hash.Add(InChannels);
        hash.Add(OutChannels);
        hash.Add(Groups);
        hash.Add(Flip);
        hash.Add(Boundary);
        hash.Add(Unshared);
        hash.Add(Bias);
        foreach (var axes in (int[][])[_inputSize, _kernelSize, _padBefore, _padAfter, _stride, _dilation])
        {
            hash.Add(axes.Length);
            foreach (int v in axes)
                hash.Add(v);
        }
        return hash.ToHashCode();
    }

    /// <summary>Whether two problems are equal (<see cref="Equals(ConvProblem)"/>).</summary>
    public static bool operator ==(ConvProblem? left, ConvProblem? right) =>
        left is null ? right is null : left.Equals(right);

    /// <summary>Whether two problems differ (<see cref="Equals(ConvProblem)"/>).</summary>
    public static bool operator !=(ConvProblem? left, ConvProblem? right) => !(left == right);

    /// <inheritdoc />
    public override string ToString()
    {
        string Axes(int[] v) => string.Join("x", v);
        string text =
            $"{(Flip ? "convolution" : "correlation")} rank {Rank}: "
            + $"N={Batch} C={InChannels} K={OutChannels} G={Groups} "
            + $"in {Axes(_inputSize)} k {Axes(_kernelSize)} pad {Axes(_padBefore)}/{Axes(_padAfter)} "
            + $"stride {Axes(_stride)} dilation {Axes(_dilation)} out {Axes(_outputSize)} boundary {Boundary}";
        return text + (Unshared ? " unshared" : "") + (Bias ? " bias" : "");
    }

    /// <summary>How many positions of the extended axis <paramref name="axis"/> read the same input element, at
    /// most.</summary>
    private long Multiplicity(int axis)
    {
        if (Boundary.ReadsConstant)
            return 1;
        int n = _inputSize[axis];
        var hits = new long[n];
        for (long p = -(long)_padBefore[axis]; p < n + (long)_padAfter[axis]; p++)
            hits[Boundary.Map((int)p, n)]++;
        return hits.Max();
    }

    private static long Volume(int[] sizes) => sizes.Aggregate(1L, (v, s) => v * s);

    /// <summary>A reason a spec gives no problem: the setting, its value and the rule.</summary>
    /// <remarks>With a <paramref name="Value"/>, the value is outside its range; without, it breaks another
    /// rule.</remarks>
    private sealed record Fault(string Parameter, string Message, object? Value = null)
    {
        public ArgumentException ToException() =>
            Value is null ? Guard.Invalid(Parameter, Message) : Guard.OutOfRange(Parameter, Value, Message);
    }

    /// <summary>Checks <paramref name="spec"/>; null when it is valid, with the copied axes and the boundary.</summary>
    private static Fault? Check(
        ConvProblemSpec spec,
        out (
            int[] Input,
            int[] Kernel,
            int[] PadBefore,
            int[] PadAfter,
            int[] Stride,
            int[] Dilation,
            int[] Output
        ) axes,
        out Boundary boundary
    )
    {
        axes = default;
        boundary = spec.Boundary;
        if (spec.InputSize is null)
            return new Fault(nameof(spec.InputSize), "inputSize is required.");
        if (spec.KernelSize is null)
            return new Fault(nameof(spec.KernelSize), "kernelSize is required.");
        int rank = spec.InputSize.Count;
        if (rank is < 1 or > MaxRank)
            return new Fault(
                "inputSize",
                $"inputSize has {rank} spatial axes [{Tensor.FormatShape(spec.InputSize)}]; "
                    + $"a ConvProblem has 1 to {MaxRank}."
            );
        Fault?[] axisFaults =
        [
            PerAxis(spec.InputSize, rank, 0, "inputSize", out var input),
            PerAxis(spec.KernelSize, rank, 0, "kernelSize", out var kernel),
            PerAxis(spec.PadBefore, rank, 0, "padBefore", out var padBefore),
            PerAxis(spec.PadAfter, rank, 0, "padAfter", out var padAfter),
            PerAxis(spec.Stride, rank, 1, "stride", out var stride),
            PerAxis(spec.Dilation, rank, 1, "dilation", out var dilation),
        ];
        var fault =
            Array.Find(axisFaults, f => f is not null)
            ?? AtLeast(spec.Batch, 1, "batch")
            ?? AtLeast(spec.InChannels, 1, "inChannels")
            ?? AtLeast(spec.OutChannels, 1, "outChannels")
            ?? AtLeast(spec.Groups, 1, "groups")
            ?? AllAtLeast(input, 1, "inputSize")
            ?? AllAtLeast(kernel, 1, "kernelSize")
            ?? AllAtLeast(padBefore, 0, "padBefore")
            ?? AllAtLeast(padAfter, 0, "padAfter")
            ?? AllAtLeast(stride, 1, "stride")
            ?? AllAtLeast(dilation, 1, "dilation");
        if (fault is not null)
            return fault;
        if (spec.InChannels % spec.Groups != 0)
            return new Fault("groups", $"inChannels {spec.InChannels} is not divisible by groups {spec.Groups}.");
        if (spec.OutChannels % spec.Groups != 0)
            return new Fault("groups", $"outChannels {spec.OutChannels} is not divisible by groups {spec.Groups}.");
        if (boundary.Kind == BoundaryKind.Constant && boundary.Value == 0f)
            boundary = Boundary.Zero;

        var output = new int[rank];
        for (int a = 0; a < rank; a++)
        {
            long effective = ((long)kernel[a] - 1) * dilation[a] + 1;
            long span = (long)input[a] + padBefore[a] + padAfter[a] - effective;
            if (effective > int.MaxValue || span + effective > int.MaxValue)
                return new Fault(
                    "inputSize",
                    $"axis {a}: input {input[a]} + pads {padBefore[a]}+{padAfter[a]} or "
                        + $"effective kernel {effective} overflow."
                );
            if (span < 0)
                return new Fault(
                    "kernelSize",
                    $"axis {a}: the output is empty: "
                        + $"input {input[a]} + padBefore {padBefore[a]} + padAfter {padAfter[a]} "
                        + $"is shorter than the effective kernel {effective} "
                        + $"(kernel {kernel[a]}, dilation {dilation[a]})."
                );
            output[a] = (int)(span / stride[a] + 1);
        }
        int channelsPerGroup = spec.InChannels / spec.Groups;
        int[] weights = spec.Unshared
            ? [spec.OutChannels, .. output, channelsPerGroup, .. kernel]
            : [spec.OutChannels, channelsPerGroup, .. kernel];
        fault =
            ElementCount([spec.Batch, spec.InChannels, .. input], "input")
            ?? ElementCount(weights, "weights")
            ?? ElementCount([spec.Batch, spec.OutChannels, .. output], "output");
        if (fault is not null)
            return fault;
        axes = (input, kernel, padBefore, padAfter, stride, dilation, output);
        return null;
    }

    private static Fault? PerAxis(IReadOnlyList<int>? values, int rank, int fallback, string name, out int[] copy)
    {
        copy = values is null ? Enumerable.Repeat(fallback, rank).ToArray() : [.. values];
        if (copy.Length != rank)
            return new Fault(
                name,
                $"{name} [{Tensor.FormatShape(copy)}] has {copy.Length} entries; the problem has {rank} spatial axes."
            );
        return null;
    }

    private static Fault? AtLeast(int value, int minimum, string name) =>
        value < minimum ? new Fault(name, $"{name} is {value}; it must be at least {minimum}.", value) : null;

    private static Fault? AllAtLeast(int[] values, int minimum, string name) =>
        values.Any(v => v < minimum)
            ? new Fault(
                name,
                $"{name} [{Tensor.FormatShape(values)}]: every entry must be at least {minimum}.",
                $"[{Tensor.FormatShape(values)}]"
            )
            : null;

    private static Fault? ElementCount(int[] shape, string what)
    {
        long count = 1;
        foreach (int d in shape)
        {
            if (count > long.MaxValue / d)
                return new Fault(what, $"{what} [{Tensor.FormatShape(shape)}] has too many elements to count.");
            count *= d;
        }
        return count > Array.MaxLength
            ? new Fault(
                what,
                $"the {what} [{Tensor.FormatShape(shape)}] has {count} elements, "
                    + $"more than one array can hold ({Array.MaxLength})."
            )
            : null;
    }
}
