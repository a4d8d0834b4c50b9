namespace ConvParity.Cpu;

/// <summary>
/// An engine's scratch memory kept from call to call, so repeated calls neither allocate large arrays nor
/// pay for fresh pages (a page fault each) and leave the garbage collector nothing big to collect: the
/// arrays a call rents (extended operands, packed weights, spread gradients) and the offset tables of the
/// shapes it ran. Arrays are pinned (kernels take their address at no cost) and uninitialised. At most
/// <see cref="HeldArrays"/> arrays and <see cref="HeldTables"/> tables are kept (the smallest array and the
/// oldest table are given up first);
/// safe to use from several threads (a call that finds no spare array allocates its own).
/// </summary>
internal sealed class Workspace
{
    private const int HeldArrays = 6,
        HeldTables = 8;
    private readonly List<float[]> _spare = [];
    private readonly List<(int[] Key, int[] Offsets)> _tables = [];

    /// <summary>A pinned array of at least <paramref name="length"/> floats, contents undefined, to give back with
    /// <see cref="Return"/>.</summary>
    public float[] Rent(long length)
    {
        lock (_spare)
        {
            int best = -1;
            for (int i = 0; i < _spare.Count; i++)
                if (_spare[i].Length >= length && (best < 0 || _spare[i].Length < _spare[best].Length))
                    best = i;
            if (best >= 0)
            {
                var array = _spare[best];
                _spare.RemoveAt(best);
                return array;
            }
        }
        return GC.AllocateUninitializedArray<float>(checked((int)length), pinned: true);
    }

    /// <summary>Gives <paramref name="array"/> back for later calls.</summary>
    public void Return(float[] array)
    {
        lock (_spare)
        {
            _spare.Add(array);
            if (_spare.Count > HeldArrays)
                _spare.Remove(_spare.MinBy(a => a.Length)!);
        }
    }

    /// <summary>An array rented for a using block: <c>using var lease = workspace.Lease(n);</c> gives it back at the
    /// block's end.</summary>
    public Leased Lease(long length) => new(this, Rent(length));

    /// <summary>An array of a workspace, given back by Dispose.</summary>
    public readonly struct Leased(Workspace owner, float[] array) : IDisposable
    {
        /// <summary>The array: at least the length asked for, contents undefined.</summary>
        public float[] Array { get; } = array;

        /// <summary>Gives the array back to its workspace.</summary>
        public void Dispose() => owner.Return(Array);
    }

    /// <summary>
    /// <see cref="Geometry.Offsets"/>, kept for the next call with the same arguments: the table is shared, so
    /// callers must not write to it.
    /// </summary>
    public int[] Offsets(int[] count, int[] step, int[] plane)
    {
        int[] key = [.. count, .. step, .. plane];
        lock (_tables)
        {
            foreach (var (held, offsets) in _tables)
                if (held.AsSpan().SequenceEqual(key))
                    return offsets;
        }
        var table = Geometry.Offsets(count, step, plane);
        lock (_tables)
        {
            _tables.Add((key, table));
            if (_tables.Count > HeldTables)
                _tables.RemoveAt(0);
        }
        return table;
    }
}
