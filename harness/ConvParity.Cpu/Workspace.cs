namespace ConvParity.Cpu;

/// <summary>
/// An engine's scratch memory kept from call to call, so repeated calls neither allocate large arrays nor
/// pay for fresh pages (a page fault each) and leave the garbage collector nothing big to collect: the
/// arrays a call rents (extended operands, packed weights, spread gradients) and the offset and step tables of
/// the shapes it ran. Arrays are pinned (kernels take their address at no cost) and uninitialised. At most
/// <see cref="HeldArrays"/> arrays and <see cref="HeldTables"/> tables are kept (the smallest array and the
/// oldest table are given up first);
/// safe to use from several threads (a call that finds no spare array allocates its own).
/// </summary>
internal sealed class Workspace
{
    private const int HeldArrays = 6,
        HeldTables = 8;
    private readonly List<float[]> _spare = [];
    private readonly List<(object Key, object Table)> _tables = [];

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
    public int[] Offsets(int[] count, int[] step, int[] plane) =>
        Table<int[], int[]>(
            [.. count, .. step, .. plane],
            (held, key) => held.AsSpan().SequenceEqual(key),
            () => Geometry.Offsets(count, step, plane)
        );

    /// <summary>
    /// c * <paramref name="channelStride"/> + <paramref name="taps"/>[t] for each channel c and tap t, in
    /// <paramref name="order"/>, kept and shared like <see cref="Offsets"/>: the weight gradient's taps are the output
    /// positions of a batch (gradw-a: a 200 KB table, which made one or two gen-2 collections in 90 calls when
    /// allocated per call). <paramref name="taps"/> is kept as part of the key, so it must not change afterwards: the
    /// callers pass tables of <see cref="Offsets"/>, which never do.
    /// </summary>
    public nint[] Steps(StepOrder order, long channelStride, int[] taps) =>
        Table(
            new StepsKey(order, channelStride, taps),
            (held, key) =>
                held.Order == key.Order
                && held.ChannelStride == key.ChannelStride
                && held.Taps.AsSpan().SequenceEqual(key.Taps),
            () =>
            {
                var steps = new nint[(long)order.Channels * taps.Length];
                for (int c = 0; c < order.Channels; c++)
                for (int t = 0; t < taps.Length; t++)
                    steps[order.Index(c, t)] = (nint)(c * channelStride + taps[t]);
                return steps;
            }
        );

    private sealed record StepsKey(StepOrder Order, long ChannelStride, int[] Taps);

    /// <summary>The table kept under a key that is <paramref name="same"/> as <paramref name="key"/>, else a new one
    /// from <paramref name="make"/>, kept in place of the oldest.</summary>
    private TTable Table<TKey, TTable>(TKey key, Func<TKey, TKey, bool> same, Func<TTable> make)
        where TKey : class
        where TTable : class
    {
        lock (_tables)
        {
            foreach (var (held, table) in _tables)
                if (held is TKey heldKey && table is TTable found && same(heldKey, key))
                    return found;
        }
        var made = make();
        lock (_tables)
        {
            _tables.Add((key, made));
            if (_tables.Count > HeldTables)
                _tables.RemoveAt(0);
        }
        return made;
    }
}
