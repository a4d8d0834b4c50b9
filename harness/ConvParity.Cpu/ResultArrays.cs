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
/// <para>
/// Every large array allocated counts toward the runtime's budget for large and pinned objects, and a result a
/// call drops at once still brings a full (gen-2) collection every call or two. A caller done with a result can
/// hand it back (<see cref="Recycle"/>): the next result of the same length reuses it, as torch's allocator
/// reuses a dropped tensor's memory. Only arrays handed out here are taken back, at most <see cref="HeldArrays"/>.
/// </para>
/// </summary>
internal static partial class ResultArrays
{
    private const int HugePageBytes = 2 << 20,
        MadviseHugePage = 14,
        HeldArrays = 4;

    /// <summary>Arrays handed out and not (yet) handed back: only these are taken back.</summary>
    private static readonly ConditionalWeakTable<float[], object> Issued = [];
    private static readonly List<float[]> Spare = [];

    /// <summary>An array of <paramref name="length"/> floats, zeroed when <paramref name="zeroed"/>.</summary>
    public static unsafe float[] Allocate(long length, bool zeroed)
    {
        int count = checked((int)length);
        var array = Reuse(count) ?? Fresh(count);
        Issued.AddOrUpdate(array, Issued);
        if (zeroed)
            array.AsSpan().Clear();
        return array;
    }

    /// <summary>Takes back <paramref name="array"/> for a later result, if it was handed out here and not yet taken
    /// back; whether it was taken. The caller must not use it again.</summary>
    public static bool Recycle(float[] array)
    {
        if (!Issued.Remove(array))
            return false;
        lock (Spare)
        {
            Spare.Add(array);
            if (Spare.Count > HeldArrays)
                Spare.RemoveAt(0);
        }
        return true;
    }

    private static float[]? Reuse(int count)
    {
        lock (Spare)
        {
            int i = Spare.FindIndex(a => a.Length == count);
            if (i < 0)
                return null;
            var array = Spare[i];
            Spare.RemoveAt(i);
            return array;
        }
    }

    private static unsafe float[] Fresh(int count)
    {
        // Zeroed after the advice (by the caller), so that the zeroing takes the huge pages.
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
        return array;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(nint address, nuint length, int advice);
}
