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
}
