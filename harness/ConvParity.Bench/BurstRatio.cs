namespace ConvParity.Bench;

/// <summary>The peer's time over ours, burst by burst (<see cref="Measurement.PairedRatio"/>).</summary>
/// <param name="Median">The median ratio.</param>
/// <param name="Low">The lower quartile.</param>
/// <param name="High">The upper quartile.</param>
/// <param name="Pairs">The pairs of bursts.</param>
public sealed record BurstRatio(double Median, double Low, double High, int Pairs);
