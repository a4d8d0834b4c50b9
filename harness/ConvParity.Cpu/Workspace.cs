namespace ConvParity.Cpu;

/// <summary>
/// Keeps the largest scratch array an engine used, so repeated calls do not pay for fresh pages each
/// time. Holds at most one array (the size of the largest extended operand seen); a call that finds it
/// taken (another thread) allocates its own.
/// </summary>
internal sealed class Workspace
{
    private float[]? _spare;

    /// <summary>An array of at least <paramref name="length"/> floats, contents undefined.</summary>
    public float[] Rent(long length)
    {
        var array = Interlocked.Exchange(ref _spare, null);
        return array is not null && array.Length >= length
            ? array
            : GC.AllocateUninitializedArray<float>(checked((int)length));
    }

    /// <summary>Gives <paramref name="array"/> back for the next call.</summary>
    public void Return(float[] array)
    {
        var held = Volatile.Read(ref _spare);
        if (held is null || held.Length < array.Length)
            Interlocked.Exchange(ref _spare, array);
    }
}
