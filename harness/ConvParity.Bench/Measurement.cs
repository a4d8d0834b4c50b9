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
);
