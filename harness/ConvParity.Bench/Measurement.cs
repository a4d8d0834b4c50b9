namespace ConvParity.Bench;

/// <summary>One timing: a workload on an engine with a thread count.</summary>
/// <param name="Workload">Workload name.</param>
/// <param name="Engine">convparity-NAME, torch, scipy-correlate2d, scipy-fftconvolve, scipy-oaconvolve or
/// numpy-convolve.</param>
/// <param name="Threads">Threads the engine ran on (0: not a CPU thread count).</param>
/// <param name="MedianMs">Median wall time of one call, ms.</param>
/// <param name="MinMs">Fastest call, ms.</param>
/// <param name="MaxMs">Slowest call, ms.</param>
/// <param name="Runs">Timed calls.</param>
public sealed record Measurement(
    string Workload,
    string Engine,
    int Threads,
    double MedianMs,
    double MinMs,
    double MaxMs,
    int Runs
)
{
    /// <summary>The 1-minute load average when the timing ended (NaN: not known); the machine may be shared.</summary>
    public double LoadAverage { get; init; } = double.NaN;

    /// <summary>Gen-2 garbage collections during the timed calls (-1: not counted, a peer).</summary>
    public int Gen2Collections { get; init; } = -1;

    /// <summary>Collections of any generation during the timed calls (-1: not counted).</summary>
    public int Collections { get; init; } = -1;

    /// <summary>Time the runtime paused for garbage collection during the timed calls, ms.</summary>
    public double GcPauseMs { get; init; }

    /// <summary>The median of each round, in the order the rounds ran (one entry for a single round).</summary>
    public IReadOnlyList<double> RoundMedians { get; init; } = [];

    /// <summary>The median of each burst of timed calls, in the order the bursts ran, over all rounds. With a peer
    /// timed in the same run, burst i of ours and burst i of the peer ran back to back, under the same state of a
    /// possibly shared machine.</summary>
    public IReadOnlyList<double> BurstMedians { get; init; } = [];

    /// <summary>The peer's time over ours burst by burst: the median and quartiles of peer burst i / our burst i,
    /// and the number of pairs; null where the two did not run in paired bursts. A busy spell of the machine that
    /// falls on some bursts moves each pair's ratio far less than it moves either side's median.</summary>
    /// <param name="peer">The peer's measurement.</param>
    /// <param name="ours">Ours, from the same run.</param>
    public static BurstRatio? PairedRatio(Measurement peer, Measurement ours)
    {
        ArgumentNullException.ThrowIfNull(peer);
        ArgumentNullException.ThrowIfNull(ours);
        int pairs = peer.BurstMedians.Count;
        if (pairs == 0 || pairs != ours.BurstMedians.Count)
            return null;
        var ratios = Enumerable
            .Range(0, pairs)
            .Select(i => peer.BurstMedians[i] / ours.BurstMedians[i])
            .Order()
            .ToList();
        return new BurstRatio(Median(ratios), ratios[pairs / 4], ratios[(3 * pairs - 1) / 4], pairs);
    }

    /// <summary>The median of <paramref name="sorted"/>, values in ascending order (at least one).</summary>
    public static double Median(IReadOnlyList<double> sorted) =>
        sorted.Count % 2 == 1
            ? sorted[sorted.Count / 2]
            : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;

    /// <summary>One measurement of the same workload, engine and threads over several rounds: the median of the
    /// round medians (a round that met a busy machine moves it little), the fastest and slowest call of all, and the
    /// sums of calls and collections.</summary>
    /// <param name="rounds">The rounds, in the order they ran; at least one, all of one workload, engine and
    /// threads.</param>
    public static Measurement Combine(IReadOnlyList<Measurement> rounds)
    {
        var first = rounds[0];
        var medians = rounds.Select(r => r.MedianMs).ToList();
        double median = Median(medians.Order().ToList());
        static int Sum(IEnumerable<int> counts) => counts.Any(c => c < 0) ? -1 : counts.Sum();
        return first with
        {
            MedianMs = median,
            MinMs = rounds.Min(r => r.MinMs),
            MaxMs = rounds.Max(r => r.MaxMs),
            Runs = rounds.Sum(r => r.Runs),
            LoadAverage = rounds.Max(r => r.LoadAverage),
            Gen2Collections = Sum(rounds.Select(r => r.Gen2Collections)),
            Collections = Sum(rounds.Select(r => r.Collections)),
            GcPauseMs = rounds.Sum(r => r.GcPauseMs),
            RoundMedians = medians,
            BurstMedians = rounds.SelectMany(r => r.BurstMedians).ToList(),
        };
    }
}
