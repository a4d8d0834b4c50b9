using ConvParity.Engines;
using ConvParity.Gpu.Kernels;
using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Gpu;

/// <summary>
/// The GPU engine: every <see cref="ConvProblem"/> variant on an ILGPU accelerator (CUDA, OpenCL or
/// ILGPU's CPU accelerator). Sums are float32, one thread per result element in a fixed order, so the
/// same inputs give the same bits on the same device. Boundaries, pads, strides and dilations reach
/// the kernels as index tables computed with <see cref="Boundary.Map"/>, the reference engine's own rule.
/// </summary>
public sealed class GpuEngine : IConvEngine
{
    /// <summary>The name used on the command line: "gpu".</summary>
    public const string EngineName = "gpu";

    private readonly long _memoryLimit;

    /// <summary>An engine on <paramref name="device"/> (not owned: the caller disposes it).</summary>
    /// <param name="device">The accelerator to run on.</param>
    /// <param name="policy">How to pick the kernel.</param>
    /// <param name="memoryLimitBytes">
    /// Refuse problems whose device buffers exceed this many bytes, when lower than the device's memory
    /// (to share a device, or to test the refusal).
    /// </param>
    public GpuEngine(GpuDevice device, GpuKernelPolicy policy = GpuKernelPolicy.Auto, long? memoryLimitBytes = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (memoryLimitBytes is < 1)
            throw new ArgumentOutOfRangeException(
                nameof(memoryLimitBytes),
                memoryLimitBytes,
                "the memory limit must be positive."
            );
        Device = device;
        Policy = policy;
        _memoryLimit = Math.Min(device.MemorySize, memoryLimitBytes ?? long.MaxValue);
    }

    /// <summary>An engine on the process's shared device for <paramref name="accelerator"/> (null: the first present of
    /// CUDA, OpenCL, CPU).</summary>
    /// <exception cref="AcceleratorUnavailableException">The requested accelerator is not present.</exception>
    public static GpuEngine OnSharedDevice(AcceleratorKind? accelerator) => new(GpuDevice.Shared(accelerator));

    /// <inheritdoc />
    public string Name => EngineName;

    /// <summary>The accelerator the engine runs on.</summary>
    public GpuDevice Device { get; }

    /// <summary>How the engine picks its kernel.</summary>
    public GpuKernelPolicy Policy { get; }

    /// <inheritdoc />
    public Tensor Forward(ConvProblem problem, Tensor x, Tensor w)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.Forward, x, w, nameof(x), nameof(w));
        return Run(problem, ConvOperation.Forward, x, w);
    }

    /// <inheritdoc />
    public Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.GradInput, dy, w, nameof(dy), nameof(w));
        return Run(problem, ConvOperation.GradInput, dy, w);
    }

    /// <inheritdoc />
    public Tensor GradWeights(ConvProblem problem, Tensor x, Tensor dy)
    {
        ConvEngine.RequireOperands(problem, ConvOperation.GradWeights, x, dy, nameof(x), nameof(dy));
        return Run(problem, ConvOperation.GradWeights, x, dy);
    }

    /// <summary>The kernel this engine uses for <paramref name="operation"/> of <paramref name="problem"/> with this
    /// second operand.</summary>
    public GpuKernel KernelFor(ConvProblem problem, ConvOperation operation, Tensor second)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(second);
        return Choose(problem, operation, second, ConvGeometry.For(problem, out _));
    }

    /// <summary>
    /// The device memory <paramref name="operation"/> of <paramref name="problem"/> needs at most, in bytes:
    /// both operands, the result, and the index tables (per axis: taps O * k, gather starts I + 1 and
    /// at most O * k gather entries; an axis added to lift the rank to 3 counts as size 1).
    /// </summary>
    public static long RequiredBytes(ConvProblem problem, ConvOperation operation)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var (first, second) = problem.OperandShapes(operation);
        long elements =
            Tensor.ElementCount(first, "first")
            + Tensor.ElementCount(second, "second")
            + Tensor.ElementCount(problem.ResultShape(operation), "result");
        long tableInts = 4L * (ConvProblem.MaxRank - problem.Rank);
        for (int a = 0; a < problem.Rank; a++)
            tableInts += 2L * problem.OutputSize[a] * problem.KernelSize[a] + problem.InputSize[a] + 1;
        return sizeof(float) * elements + sizeof(int) * tableInts;
    }

    private Tensor Run(ConvProblem problem, ConvOperation operation, Tensor first, Tensor second)
    {
        long needed = RequiredBytes(problem, operation);
        if (needed > _memoryLimit)
            throw new InsufficientMemoryException(
                $"{operation} of {problem} needs {GpuDevice.FormatBytes(needed)} ({needed} bytes) "
                    + "of device memory for its operands, result and index tables, "
                    + $"but {(_memoryLimit < Device.MemorySize ? "this engine is limited to" : "the device has")} "
                    + $"{GpuDevice.FormatBytes(_memoryLimit)} ({_memoryLimit} bytes) on {Device}."
            );
        var geometry = ConvGeometry.For(problem, out int[] tables);
        var kernel = Choose(problem, operation, second, geometry);
        int[] shape = problem.ResultShape(operation);
        var result = Device.Run(
            operation,
            geometry,
            tables,
            first,
            second,
            (int)Tensor.ElementCount(shape, "result"),
            kernel
        );
        return new Tensor(result, shape);
    }

    private GpuKernel Choose(ConvProblem problem, ConvOperation operation, Tensor second, ConvGeometry geometry)
    {
        if (Policy == GpuKernelPolicy.DirectOnly || !ImplicitGemm.Applies(problem, operation, AllFinite(second.Span)))
            return GpuKernel.Direct;
        if (Policy == GpuKernelPolicy.PreferImplicitGemm)
            return GpuKernel.ImplicitGemm;
        // Channel-heavy: a full tile of rows and columns, and a depth of several tiles to amortise the staging.
        var shape = ImplicitGemm.Shape(geometry, operation, Device.GemmTile);
        return shape.Rows >= shape.Tile && shape.Columns >= shape.Tile && shape.Depth >= 4 * shape.Tile
            ? GpuKernel.ImplicitGemm
            : GpuKernel.Direct;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
            if (!float.IsFinite(v))
                return false;
        return true;
    }
}
