using System.Collections.Concurrent;
using ConvParity.Gpu.Kernels;
using ConvParity.Problems;
using ConvParity.Tensors;
using ILGPU;
using ILGPU.Runtime;

namespace ConvParity.Gpu;

/// <summary>
/// One ILGPU accelerator with its context and compiled kernels. Opening one costs a context and a
/// device, and each kernel is compiled on first use, so a process normally shares one per requested
/// kind (<see cref="Shared"/>). Calls are serialised: an accelerator's stream is not thread-safe, and
/// each run already occupies the whole device.
/// </summary>
public sealed class GpuDevice : IDisposable
{
    private static readonly ConcurrentDictionary<string, Lazy<GpuDevice>> SharedDevices = new(StringComparer.Ordinal);

    private readonly Context _context;
    private readonly Accelerator _accelerator;
    private readonly Lock _gate = new();
    private readonly Dictionary<
        ConvOperation,
        Action<Index1D, ConvGeometry, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>>
    > _direct = [];
    private readonly Dictionary<
        ConvOperation,
        Action<
            KernelConfig,
            ConvGeometry,
            GemmShape,
            ArrayView<float>,
            ArrayView<float>,
            ArrayView<int>,
            ArrayView<float>
        >
    > _gemm = [];
    private bool _disposed;

    private GpuDevice(Context context, Accelerator accelerator, AcceleratorKind kind)
    {
        _context = context;
        _accelerator = accelerator;
        Kind = kind;
        Name = accelerator.Name;
        MemorySize = accelerator.MemorySize;
        // Square thread groups of at most 16 x 16 (the CPU accelerator allows 16 threads: 4 x 4).
        GemmTile = Math.Min(16, (int)Math.Sqrt(accelerator.MaxNumThreadsPerGroup));
    }

    /// <summary>The kind of accelerator.</summary>
    public AcceleratorKind Kind { get; }

    /// <summary>The device's name as ILGPU reports it.</summary>
    public string Name { get; }

    /// <summary>The device's memory in bytes, as ILGPU reports it (the CPU accelerator reports no limit:
    /// long.MaxValue).</summary>
    public long MemorySize { get; }

    /// <summary>The side of the square thread groups and shared-memory tiles of the implicit-GEMM kernel.</summary>
    public int GemmTile { get; }

    /// <summary>The kinds of accelerator ILGPU finds on this machine, in order of preference.</summary>
    public static IReadOnlyList<AcceleratorKind> PresentKinds()
    {
        using var context = Context.Create(builder => builder.Default());
        return PresentKinds(context);
    }

    /// <summary>
    /// Opens the accelerator of kind <paramref name="requested"/>, or with null the first present of CUDA,
    /// OpenCL, CPU. The caller owns the device and disposes it.
    /// </summary>
    /// <exception cref="AcceleratorUnavailableException">The requested kind is not present; the message names what
    /// is.</exception>
    public static GpuDevice Open(AcceleratorKind? requested)
    {
        var context = Context.Create(builder => builder.Default());
        try
        {
            var kind = Accelerators.Choose(requested, PresentKinds(context));
            var device = context.Devices.First(d => KindOf(d) == kind);
            return new GpuDevice(context, device.CreateAccelerator(context), kind);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The process's device for <paramref name="requested"/>, opened on first use and released when the
    /// process exits. A failure to open is remembered and thrown again on every later call.
    /// </summary>
    /// <exception cref="AcceleratorUnavailableException">The requested kind is not present.</exception>
    public static GpuDevice Shared(AcceleratorKind? requested) =>
        SharedDevices
            .GetOrAdd(
                requested?.ToString() ?? "auto",
                _ => new Lazy<GpuDevice>(() =>
                {
                    var device = Open(requested);
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => device.Dispose();
                    return device;
                })
            )
            .Value;

    /// <summary>Kind and name, e.g. "cuda: NVIDIA H100 80GB HBM3 (79.1 GiB)".</summary>
    public override string ToString() =>
        $"{Accelerators.NameOf(Kind)}: {Name}"
        + (MemorySize == long.MaxValue ? " (a simulator on the CPU)" : $" ({FormatBytes(MemorySize)})");

    /// <summary>Releases the kernels, the accelerator and the context; waits for a run in progress.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            _accelerator.Dispose();
            _context.Dispose();
        }
    }

    /// <summary>"1.5 GiB", "12.0 KiB", "512 bytes".</summary>
    internal static string FormatBytes(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        if (bytes < 1024)
            return $"{bytes} bytes";
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{value:F1} {units[unit]}");
    }

    /// <summary>
    /// Computes <paramref name="operation"/> with <paramref name="kernel"/>: copies the operands and index
    /// tables in, runs, copies the result out, and frees every device buffer before returning.
    /// </summary>
    internal float[] Run(
        ConvOperation operation,
        ConvGeometry geometry,
        int[] tables,
        Tensor first,
        Tensor second,
        int resultLength,
        GpuKernel kernel
    )
    {
        var result = new float[resultLength];
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var firstBuffer = _accelerator.Allocate1D<float>(first.Length);
            using var secondBuffer = _accelerator.Allocate1D<float>(second.Length);
            using var tableBuffer = _accelerator.Allocate1D<int>(tables.Length);
            using var resultBuffer = _accelerator.Allocate1D<float>(resultLength);
            firstBuffer.View.CopyFromCPU(_accelerator.DefaultStream, (ReadOnlySpan<float>)first.Span);
            secondBuffer.View.CopyFromCPU(_accelerator.DefaultStream, (ReadOnlySpan<float>)second.Span);
            tableBuffer.View.CopyFromCPU(tables);
            if (kernel == GpuKernel.ImplicitGemm)
            {
                var shape = ImplicitGemm.Shape(geometry, operation, GemmTile);
                var config = new KernelConfig(
                    new Index2D(shape.ThreadGroups, 1),
                    new Index2D(shape.Tile, shape.Tile),
                    SharedMemoryConfig.RequestDynamic<float>(shape.SharedFloats)
                );
                GemmKernel(operation)(
                    config,
                    geometry,
                    shape,
                    firstBuffer.View,
                    secondBuffer.View,
                    tableBuffer.View,
                    resultBuffer.View
                );
            }
            else
            {
                DirectKernel(operation)(
                    resultLength,
                    geometry,
                    firstBuffer.View,
                    secondBuffer.View,
                    tableBuffer.View,
                    resultBuffer.View
                );
            }
            _accelerator.Synchronize();
            resultBuffer.View.CopyToCPU(_accelerator.DefaultStream, result.AsSpan());
        }
        return result;
    }

    private Action<
        Index1D,
        ConvGeometry,
        ArrayView<float>,
        ArrayView<float>,
        ArrayView<int>,
        ArrayView<float>
    > DirectKernel(ConvOperation operation)
    {
        if (!_direct.TryGetValue(operation, out var kernel))
        {
            kernel = operation switch
            {
                ConvOperation.Forward => _accelerator.LoadAutoGroupedStreamKernel<
                    Index1D,
                    ConvGeometry,
                    ArrayView<float>,
                    ArrayView<float>,
                    ArrayView<int>,
                    ArrayView<float>
                >(DirectKernels.Forward),
                ConvOperation.GradInput => _accelerator.LoadAutoGroupedStreamKernel<
                    Index1D,
                    ConvGeometry,
                    ArrayView<float>,
                    ArrayView<float>,
                    ArrayView<int>,
                    ArrayView<float>
                >(DirectKernels.GradInput),
                ConvOperation.GradWeights => _accelerator.LoadAutoGroupedStreamKernel<
                    Index1D,
                    ConvGeometry,
                    ArrayView<float>,
                    ArrayView<float>,
                    ArrayView<int>,
                    ArrayView<float>
                >(DirectKernels.GradWeights),
                _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
            };
            _direct.Add(operation, kernel);
        }
        return kernel;
    }

    private Action<
        KernelConfig,
        ConvGeometry,
        GemmShape,
        ArrayView<float>,
        ArrayView<float>,
        ArrayView<int>,
        ArrayView<float>
    > GemmKernel(ConvOperation operation)
    {
        if (!_gemm.TryGetValue(operation, out var kernel))
        {
            kernel = operation switch
            {
                ConvOperation.Forward => _accelerator.LoadStreamKernel<
                    ConvGeometry,
                    GemmShape,
                    ArrayView<float>,
                    ArrayView<float>,
                    ArrayView<int>,
                    ArrayView<float>
                >(ImplicitGemm.Kernel<ForwardOperands>),
                ConvOperation.GradInput => _accelerator.LoadStreamKernel<
                    ConvGeometry,
                    GemmShape,
                    ArrayView<float>,
                    ArrayView<float>,
                    ArrayView<int>,
                    ArrayView<float>
                >(ImplicitGemm.Kernel<GradInputOperands>),
                ConvOperation.GradWeights => _accelerator.LoadStreamKernel<
                    ConvGeometry,
                    GemmShape,
                    ArrayView<float>,
                    ArrayView<float>,
                    ArrayView<int>,
                    ArrayView<float>
                >(ImplicitGemm.Kernel<GradWeightsOperands>),
                _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
            };
            _gemm.Add(operation, kernel);
        }
        return kernel;
    }

    private static List<AcceleratorKind> PresentKinds(Context context) =>
        [.. context.Devices.Select(KindOf).OfType<AcceleratorKind>().Distinct().Order()];

    private static AcceleratorKind? KindOf(Device device) =>
        device.AcceleratorType switch
        {
            AcceleratorType.Cuda => AcceleratorKind.Cuda,
            AcceleratorType.OpenCL => AcceleratorKind.OpenCL,
            AcceleratorType.CPU => AcceleratorKind.Cpu,
            _ => null,
        };
}
