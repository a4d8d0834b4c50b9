namespace ConvParity.Problems;

/// <summary>
/// The settings of a <see cref="ConvProblem"/>, set by name so that per-axis arguments (pads, stride,
/// dilation) cannot be passed in each other's place. A spec is not checked; <see cref="ConvProblem"/>'s
/// constructor and <see cref="ConvProblem.TryCreate"/> check it and copy every list.
/// </summary>
public sealed record ConvProblemSpec
{
    /// <summary>N: independent images (at least 1).</summary>
    public required int Batch { get; init; }

    /// <summary>C: input channels (at least 1, a multiple of <see cref="Groups"/>).</summary>
    public required int InChannels { get; init; }

    /// <summary>K: output channels (at least 1, a multiple of <see cref="Groups"/>).</summary>
    public required int OutChannels { get; init; }

    /// <summary>Input spatial size per axis (1 to <see cref="ConvProblem.MaxRank"/> axes, each at least 1).</summary>
    public required IReadOnlyList<int> InputSize { get; init; }

    /// <summary>Kernel spatial size per axis (each at least 1).</summary>
    public required IReadOnlyList<int> KernelSize { get; init; }

    /// <summary>Positions added before the input on each axis; null: none.</summary>
    public IReadOnlyList<int>? PadBefore { get; init; }

    /// <summary>Positions added after the input on each axis; null: none.</summary>
    public IReadOnlyList<int>? PadAfter { get; init; }

    /// <summary>Step between output positions, per axis; null: 1 on every axis.</summary>
    public IReadOnlyList<int>? Stride { get; init; }

    /// <summary>Step between kernel taps, per axis; null: 1 on every axis.</summary>
    public IReadOnlyList<int>? Dilation { get; init; }

    /// <summary>G: channel groups (at least 1).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>Whether the kernel is reversed on every spatial axis (true convolution).</summary>
    public bool Flip { get; init; }

    /// <summary>How the input is extended outside its extent.</summary>
    public Boundary Boundary { get; init; }

    /// <summary>Whether every output position has its own kernel (Theano's unshared convolution).</summary>
    public bool Unshared { get; init; }

    /// <summary>
    /// Whether <see cref="ConvOperation.Forward"/> and <see cref="ConvOperation.GradInput"/> take a third operand, a
    /// bias b with one value per channel of their result, added to every element of that channel (see
    /// <see cref="ConvProblem.Bias"/>).
    /// </summary>
    public bool Bias { get; init; }
}
