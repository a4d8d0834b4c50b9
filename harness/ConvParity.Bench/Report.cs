using System.Globalization;

namespace ConvParity.Bench;

/// <summary>The per-workload table: times, GFLOP/s, share of the FMA peak, ratios to each peer and the issue's
/// targets.</summary>
public static class Report
{
    /// <summary>Prints one workload's table.</summary>
    public static void Print(
        Workload workload,
        List<Measurement> rows,
        string ours,
        IReadOnlyDictionary<int, double> peak,
        TextWriter output
    )
    {
        var c = CultureInfo.InvariantCulture;
        double gflop = workload.Flops / 1e9;
        output.WriteLine();
        output.WriteLine(
            string.Create(c, $"{workload.Name}: {workload.Description} ({gflop:F3} GFLOP per call, direct)")
        );
        output.WriteLine(
            "  engine               threads   median ms       min..max ms   GFLOP/s  % FMA peak   load avg  rounds"
        );
        foreach (var r in rows)
        {
            double rate = workload.Flops / (r.MedianMs * 1e6);
            string share = peak.TryGetValue(Math.Max(r.Threads, 1), out double p)
                ? string.Create(c, $"{100 * rate / p, 9:F1}%")
                : "";
            output.WriteLine(
                string.Create(
                    c,
                    $"  {r.Engine, -20} {r.Threads, 7} {r.MedianMs, 11:F3} "
                        + $"{r.MinMs, 9:F3}..{r.MaxMs, -9:F3} {rate, 8:F1} {share, 10} {r.LoadAverage, 10:F2}"
                        + $" {r.RoundMedians.Count, 7}"
                )
            );
        }
        var counted = rows.Where(r => r.Gen2Collections >= 0).ToList();
        if (counted.Count > 0)
            output.WriteLine(
                "  garbage collections in our timed calls: "
                    + string.Join(
                        "; ",
                        counted.Select(r =>
                            string.Create(
                                c,
                                $"{r.Threads}t {r.Collections} in {r.Runs} calls ({r.Gen2Collections} gen-2), "
                                    + $"{r.GcPauseMs:F1} ms paused"
                            )
                        )
                    )
            );

        var mine = rows.Where(r => r.Engine == ours).ToList();
        if (mine.Count == 0)
            return;
        Measurement Ours(int threads) => mine.FirstOrDefault(m => m.Threads == threads) ?? mine[0];
        // Ratio = peer time / our time: above 1 we are faster.
        if (rows.Any(r => r.Engine != ours))
            output.WriteLine("  ratios (peer median / ours, each the median of its rounds; > 1: ours is faster):");
        foreach (var peer in rows.Where(r => r.Engine != ours))
        {
            var against = peer.Engine == "torch" ? [Ours(peer.Threads)] : mine;
            output.WriteLine(
                "    "
                    + string.Join(
                        ", ",
                        against.Select(m =>
                            string.Create(
                                c,
                                $"{peer.Engine} ({peer.Threads}t) / {ours} ({m.Threads}t): "
                                    + $"{peer.MedianMs / m.MedianMs:F2}x{RoundSpread(peer, m)}{BurstSpread(peer, m)}"
                            )
                        )
                    )
            );
        }
        foreach (string line in Targets(workload, rows, mine, peak))
            output.WriteLine("  target: " + line);
    }

    /// <summary>" (rounds 0.91..1.12x)": the lowest and highest ratio of the pairs timed back to back, round by
    /// round; empty for one round.</summary>
    private static string RoundSpread(Measurement peer, Measurement mine)
    {
        int rounds = Math.Min(peer.RoundMedians.Count, mine.RoundMedians.Count);
        if (rounds < 2)
            return "";
        var ratios = Enumerable.Range(0, rounds).Select(i => peer.RoundMedians[i] / mine.RoundMedians[i]).ToList();
        return string.Create(CultureInfo.InvariantCulture, $" (rounds {ratios.Min():F2}..{ratios.Max():F2}x)");
    }

    /// <summary>"; burst by burst 1.02x (0.95..1.10 middle half, 60 pairs)": <see cref="Measurement.PairedRatio"/>;
    /// empty where the two did not run in paired bursts.</summary>
    private static string BurstSpread(Measurement peer, Measurement mine) =>
        Measurement.PairedRatio(peer, mine) is { } r
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"; burst by burst {r.Median:F2}x ({r.Low:F2}..{r.High:F2} middle half, {r.Pairs} pairs)"
            )
            : "";

    private static IEnumerable<string> Targets(
        Workload workload,
        List<Measurement> rows,
        List<Measurement> mine,
        IReadOnlyDictionary<int, double> peak
    )
    {
        var c = CultureInfo.InvariantCulture;
        string Verdict(bool met) => met ? "met" : "NOT MET";
        Measurement? Peer(string engine, int threads) =>
            rows.FirstOrDefault(r => r.Engine == engine && r.Threads == threads);
        var single = mine.FirstOrDefault(m => m.Threads == 1) ?? mine[0];
        foreach (var m in mine)
        {
            double spread = m.MedianMs / m.MinMs;
            // The peer's own spread in the same run tells the machine's noise from ours.
            string peer = Peer("torch", m.Threads) is { } torch
                ? string.Create(c, $" (torch in this run: {torch.MedianMs / torch.MinMs:F2}x)")
                : "";
            yield return string.Create(c, $"median within 15% of the minimum at {m.Threads} thread(s): ")
                + string.Create(c, $"{spread:F2}x the minimum {Verdict(spread <= 1.15)}{peer}");
        }
        switch (workload.Kind)
        {
            case "cnn" or "transpose" or "grad":
                foreach (var m in mine)
                    if (Peer("torch", m.Threads) is { } torch)
                    {
                        string paired = Measurement.PairedRatio(torch, m) is { } r
                            ? string.Create(c, $" (burst by burst: {r.Median:F2}x)")
                            : "";
                        yield return string.Create(
                            c,
                            $">= 1.0x torch at {m.Threads} thread(s): "
                                + $"{torch.MedianMs / m.MedianMs:F2}x {Verdict(torch.MedianMs >= m.MedianMs)}{paired}"
                        );
                    }
                if (workload.Name is "cnn-a" or "cnn-c")
                    foreach (var m in mine)
                        if (peak.TryGetValue(m.Threads, out double p))
                        {
                            double share = workload.Flops / (m.MedianMs * 1e6) / p;
                            yield return string.Create(
                                c,
                                $">= 75% of the FMA peak at {m.Threads} thread(s): "
                                    + $"{100 * share:F1}% {Verdict(share >= 0.75)}"
                            );
                        }
                break;
            case "image":
                if (Peer("scipy-correlate2d", 1) is { } correlate)
                    yield return string.Create(
                        c,
                        $">= 20x scipy.signal.correlate2d (ours at 1 thread): "
                            + $"{correlate.MedianMs / single.MedianMs:F1}x "
                            + $"{Verdict(correlate.MedianMs >= 20 * single.MedianMs)}"
                    );
                if (workload.Name == "img-k31" && Peer("scipy-fftconvolve", 1) is { } fft)
                    yield return string.Create(
                        c,
                        $">= 1.0x scipy.signal.fftconvolve (ours at 1 thread): "
                            + $"{fft.MedianMs / single.MedianMs:F2}x {Verdict(fft.MedianMs >= single.MedianMs)}"
                    );
                break;
            case "signal":
                var best = rows.Where(r => r.Engine is "numpy-convolve" or "scipy-oaconvolve").MinBy(r => r.MedianMs);
                if (best is not null)
                    yield return string.Create(
                        c,
                        $">= 1.0x the best of numpy.convolve and scipy.signal.oaconvolve "
                            + $"({best.Engine}, ours at 1 thread): "
                            + $"{best.MedianMs / single.MedianMs:F2}x {Verdict(best.MedianMs >= single.MedianMs)}"
                    );
                break;
        }
    }
}
