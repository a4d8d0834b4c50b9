using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvParity.Cpu;

/// <summary>
/// The arrays results are returned in. A result is new memory every call (the caller keeps it); what it
/// costs beyond the arithmetic is its page faults, paid again whenever the runtime has handed the pages
/// back to the system in between (measured on a virtual machine at several microseconds per 4 KiB page,
/// most of a depthwise call's time). So results live on the pinned heap, which the runtime reuses from call
/// to call, and on Linux a result of 4 MiB or more asks for transparent huge pages over the 2 MiB-aligned
/// span that holds it (madvise MADV_HUGEPAGE: one fault per 2 MiB instead of 512, measured 974 faults a call
/// down to 110 on the depthwise workload). That span is the runtime's heap memory either way; the advice is
/// only advice (the system may ignore it, and a failure is harmless), so its result is not checked.
/// </summary>
internal static partial class ResultArrays
{
    private const int HugePageBytes = 2 << 20,
        MadviseHugePage = 14;

    /// <summary>An array of <paramref name="length"/> floats, zeroed when <paramref name="zeroed"/>.</summary>
    public static unsafe float[] Allocate(long length, bool zeroed)
    {
        int count = checked((int)length);
        // Zeroed after the advice, so that the zeroing takes the huge pages.
        var array = GC.AllocateUninitializedArray<float>(count, pinned: true);
        if (OperatingSystem.IsLinux() && (long)count * sizeof(float) >= 2 * HugePageBytes)
        {
            nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            nint end = start + (nint)count * sizeof(float);
            nint mask = HugePageBytes - 1;
            nint first = start & ~mask,
                last = (end + mask) & ~mask;
            _ = Madvise(first, (nuint)(last - first), MadviseHugePage);
        }
        if (zeroed)
            array.AsSpan().Clear();
        return array;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
