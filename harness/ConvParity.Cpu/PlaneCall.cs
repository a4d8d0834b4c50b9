using ConvParity.Problems;

namespace ConvParity.Cpu;

/// <summary>
/// One channel in, one channel out (depthwise convolutions, single images and signals), a stride of at most 4
/// on the last axis. Each work item extends just the tile of input it reads into a thread's buffer (at most
/// 64 K floats plus one kernel extent of rows, so it stays in cache), then runs vectors along the output
/// rows, four at a time in registers: every tap is one broadcast weight times unaligned loads of the tile.
/// Short rows are summed in one run over the tile, split into phases first where strided, and long strided rows
/// at every column; the outputs are then copied out (PlaneKernel.Run).
/// </summary>
internal sealed unsafe class PlaneCall
{
    /// <summary>Planes: Batch * Channels, each with its own kernel (channel index = plane % Channels).</summary>
    public required int Batch,
        Channels;

    /// <summary>Kernel, output, stride and dilation; Extended is what the correlation reads.</summary>
    public required Geometry Shape;

    /// <summary>Source planes of size SourceSize, extended by Boundary; extended coordinate 0 is source coordinate
    /// -SourcePad.</summary>
    public required float* Source;
    public required int[] SourceSize,
        SourcePad;
    public required Boundary Boundary;

    /// <summary>Kernels, one per channel, KernelVolume floats each.</summary>
    public required float* W;
    public required bool ReverseTaps;

    /// <summary>Output planes of size Shape.Output.</summary>
    public required float* Y;
}
