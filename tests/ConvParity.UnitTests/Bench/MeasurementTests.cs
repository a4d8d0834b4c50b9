using ConvParity.Bench;

namespace ConvParity.Tests;

/// <summary>The bench's figures over rounds and bursts: one record per workload, engine and threads, and the peer's
/// time over ours burst by burst.</summary>
public sealed class MeasurementTests
{
    private static Measurement Timing(string engine, params double[] bursts) =>
        new(
            "cnn-c",
            engine,
            1,
            bursts.Order().ElementAt(bursts.Length / 2),
            bursts.Min(),
            bursts.Max(),
            2 * bursts.Length
        )
        {
            BurstMedians = bursts,
        };

    [Test]
    public void Pairs_each_peer_burst_with_ours_so_a_slow_spell_moves_few_pairs()
    {
        // The machine slowed threefold for our last burst and the peer's last two: the pooled medians give 2.2x,
        // the pairs 1.1x but one.
        var ours = Timing("convparity-cpu", 1, 1, 1, 3);
        var peer = Timing("torch", 1.1, 1.1, 3.3, 3.3);

        var ratio = Measurement.PairedRatio(peer, ours);

        Assert.That(ratio, Is.Not.Null);
        Assert.That(ratio!.Median, Is.EqualTo(1.1).Within(1e-12));
        Assert.That(ratio.Low, Is.EqualTo(1.1).Within(1e-12));
        Assert.That(ratio.High, Is.EqualTo(1.1).Within(1e-12));
        Assert.That(ratio.Pairs, Is.EqualTo(4));
    }

    [Test]
    public void Gives_the_median_and_the_middle_half_of_the_pair_ratios()
    {
        // Ratios 2.0, 0.5, 1.2, 1.0, 0.9 in burst order: sorted 0.5, 0.9, 1.0, 1.2, 2.0.
        var ours = Timing("convparity-cpu", 1, 2, 10, 3, 10);
        var peer = Timing("torch", 2, 1, 12, 3, 9);

        var ratio = Measurement.PairedRatio(peer, ours)!;

        Assert.That(ratio.Median, Is.EqualTo(1.0).Within(1e-12));
        Assert.That(ratio.Low, Is.EqualTo(0.9).Within(1e-12));
        Assert.That(ratio.High, Is.EqualTo(1.2).Within(1e-12));
        Assert.That(ratio.Pairs, Is.EqualTo(5));
    }

    [Test]
    public void Has_no_burst_ratio_where_the_bursts_do_not_pair_up()
    {
        var ours = Timing("convparity-cpu", 1, 2, 3);

        Assert.That(Measurement.PairedRatio(Timing("torch", 1, 2), ours), Is.Null, "fewer peer bursts");
        Assert.That(
            Measurement.PairedRatio(new Measurement("cnn-c", "scipy-correlate2d", 0, 1, 1, 1, 3), ours),
            Is.Null,
            "a peer timed apart from ours"
        );
    }

    [Test]
    public void Combine_keeps_every_burst_in_the_order_the_rounds_ran()
    {
        var rounds = new[]
        {
            Timing("torch", 4, 5) with
            {
                MedianMs = 5,
            },
            Timing("torch", 1, 2, 3) with
            {
                MedianMs = 2,
            },
            Timing("torch", 9) with
            {
                MedianMs = 9,
            },
        };

        var combined = Measurement.Combine(rounds);

        Assert.That(combined.BurstMedians, Is.EqualTo(new[] { 4.0, 5, 1, 2, 3, 9 }));
        Assert.That(combined.RoundMedians, Is.EqualTo(new[] { 5.0, 2, 9 }));
        Assert.That(combined.MedianMs, Is.EqualTo(5));
        Assert.That(combined.MinMs, Is.EqualTo(1));
        Assert.That(combined.Runs, Is.EqualTo(12));
    }
}
