using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConvParity.Cpu;
using ConvParity.Engines;
using ConvParity.Tensors;

namespace ConvParity.Bench;

/// <summary>scripts/bench: our engine and the peers on the issue's workloads, in one run, with ratios.</summary>
public static class Program
{
    private const string Usage = """
        usage: scripts/bench [--engine NAME] [--workloads NAME,...] [--threads 1,2] [--rounds N] [--quick]
                             [--no-peers] [--no-recycle] [--python PATH] [--peers-script PATH] [--output PATH]
          --engine      the engine to time (default cpu; any name of `convparity check`)
          --workloads   names or prefixes (cnn, img-k31, sig...), comma separated (default: all)
          --threads     thread counts for the cpu engine and torch (default 1,2)
          --rounds      times each workload N times, ours and the peers together each time (torch in bursts
                        alternating with ours), and reports the median of the rounds, the spread of the
                        ratios and torch's ratio burst by burst (default 3; 1 with --quick)
          --quick       fewer repeats and one round (a rough figure fast)
          --no-peers    time our engine only
          --no-recycle  leave each result to the garbage collector (default: hand it back to the cpu engine)
          --output      where the JSON results go (default artifacts/bench/results.json)
        """;

    /// <summary>Entry point; exit 0 on success, 2 on bad arguments, 1 when a peer run fails.</summary>
    public static int Main(string[] args)
    {
        string engineName = CpuEngine.EngineName,
            python = "/usr/bin/python3",
            peersScript = "scripts/bench-peers.py";
        string output = Path.Combine("artifacts", "bench", "results.json");
        var filters = new List<string>();
        int[] threadCounts = [1, 2];
        int? rounds = null;
        bool quick = false,
            peers = true,
            recycle = true;
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string Value() =>
                    i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                switch (args[i])
                {
                    case "--engine":
                        engineName = Value();
                        break;
                    case "--workloads":
                        filters.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries));
                        break;
                    case "--threads":
                        threadCounts = Value()
                            .Split(',')
                            .Select(t => int.Parse(t, CultureInfo.InvariantCulture))
                            .ToArray();
                        break;
                    case "--rounds":
                        rounds = int.Parse(Value(), CultureInfo.InvariantCulture);
                        break;
                    case "--quick":
                        quick = true;
                        break;
                    case "--no-peers":
                        peers = false;
                        break;
                    case "--no-recycle":
                        recycle = false;
                        break;
                    case "--python":
                        python = Value();
                        break;
                    case "--peers-script":
                        peersScript = Value();
                        break;
                    case "--output":
                        output = Value();
                        break;
                    case "-h" or "--help":
                        Console.WriteLine(Usage);
                        return 0;
                    default:
                        throw new ArgumentException($"unknown option '{args[i]}'");
                }
            }
            if (threadCounts.Length == 0 || threadCounts.Any(t => t < 1))
                throw new ArgumentException("--threads needs positive counts");
            if (rounds < 1)
                throw new ArgumentException("--rounds needs a positive count");
            if (!CommandLine().Names.Contains(engineName))
                throw new ArgumentException(
                    $"no engine is called '{engineName}' (engines: {string.Join(", ", CommandLine().Names)})"
                );
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"bench: {e.Message}\n{Usage}");
            return 2;
        }

        var workloads = Workload
            .All.Where(w => filters.Count == 0 || filters.Any(f => w.Name.StartsWith(f, StringComparison.Ordinal)))
            .ToList();
        if (workloads.Count == 0)
        {
            Console.Error.WriteLine(
                $"bench: no workload matches {string.Join(",", filters)} (workloads: "
                    + $"{string.Join(", ", Workload.All.Select(w => w.Name))})"
            );
            return 2;
        }

        Console.WriteLine(
            $"machine: {CpuModel()}, {Environment.ProcessorCount} logical processors, "
                + $"vectors: {CpuEngine.InstructionSet}"
        );
        var peak = threadCounts.ToDictionary(t => t, FmaPeak.Measure);
        foreach (var (t, gflops) in peak)
            Console.WriteLine($"FMA peak, {t} thread(s): {gflops:F1} GFLOP/s (measured at the start)");
        Console.WriteLine(
            $"runtime: .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}, latency mode "
                + $"{System.Runtime.GCSettings.LatencyMode}; results "
                + (
                    recycle
                        ? "handed back to the cpu engine after each call (CpuEngine.Recycle, untimed)"
                        : "left to the garbage collector (--no-recycle)"
                )
        );

        int roundCount = rounds ?? (quick ? 1 : 3);
        var results = new List<Measurement>();
        bool threaded = engineName == CpuEngine.EngineName;
        string ours = $"convparity-{engineName}";
        int status = 0;
        PeerProcess? peerProcess = null;
        try
        {
            if (peers)
                peerProcess = new PeerProcess(python, peersScript, threadCounts, quick, PeerInstructionSet());
            // Ours and the peers workload by workload and round by round, so each pair sees the same state of a
            // possibly shared machine, and the rounds show how much that state moved the ratio.
            foreach (var workload in workloads)
            {
                // torch at each thread count of ours, in bursts that alternate with ours (a busy spell lasts
                // seconds); the scipy and numpy peers, and torch for another engine, after ours.
                var torch = threaded && workload.TorchPeer ? peerProcess : null;
                torch?.PrepareTorch(workload);
                for (int round = 1; round <= roundCount; round++)
                {
                    foreach (int threads in threaded ? threadCounts : [0])
                    {
                        var engine = threaded ? new CpuEngine(threads) : CommandLine().Create(engineName);
                        Console.Error.WriteLine(
                            $"bench: {ours}{(torch is null ? "" : " and torch")} {workload.Name}"
                                + $"{(threaded ? $" {threads} thread(s)" : "")} round {round} of {roundCount}"
                        );
                        results.AddRange(Time(workload, engine, ours, threads, quick, recycle, torch));
                    }
                    if (peerProcess is not null && torch is null)
                        results.AddRange(peerProcess.Time(workload));
                }
                // The peak again after each workload, the best kept: a busy spell of the shared host only lowers a
                // measurement, and a peak measured in one would flatter every share of it (151 GFLOP/s at the start
                // of one run, 172 in another).
                foreach (int t in threadCounts)
                    peak[t] = Math.Max(peak[t], FmaPeak.Measure(t));
            }
        }
        catch (Exception e)
            when (e is InvalidOperationException or System.ComponentModel.Win32Exception or JsonException)
        {
            Console.Error.WriteLine($"bench: the peer run failed: {e.Message}");
            status = 1;
        }
        finally
        {
            peerProcess?.Dispose();
        }

        // One record per (workload, engine, threads), over its rounds.
        results = results
            .GroupBy(r => (r.Workload, r.Engine, r.Threads))
            .Select(g => Measurement.Combine(g.ToList()))
            .ToList();
        foreach (var (t, gflops) in peak)
            Console.WriteLine(
                $"FMA peak, {t} thread(s): {gflops:F1} GFLOP/s, the best measured at the start and after each workload"
            );
        foreach (var workload in workloads)
            Report.Print(workload, results.Where(r => r.Workload == workload.Name).ToList(), ours, peak, Console.Out);
        WriteJson(output, results, workloads);
        Console.WriteLine($"results: {output}");
        return status;
    }

    /// <summary>
    /// torch's convolutions (oneDNN) limited to the vector width ours runs at, so that a run with AVX-512 turned
    /// off (DOTNET_EnableAVX512=0) compares the two AVX2 paths rather than our AVX2 with torch's AVX-512.
    /// </summary>
    private static Dictionary<string, string> PeerInstructionSet()
    {
        string? limit = SimdWidth.Lanes switch
        {
            16 => null,
            8 => "AVX2",
            _ => "SSE41",
        };
        Console.WriteLine(
            limit is null
                ? "peers: torch (oneDNN) on the widest instruction set it finds"
                : $"peers: torch (oneDNN) limited to {limit} as ours is (ONEDNN_MAX_CPU_ISA={limit})"
        );
        return limit is null ? [] : new() { ["ONEDNN_MAX_CPU_ISA"] = limit };
    }

    private static EngineCatalog CommandLine() => Cli.CommandLine.Engines();

    /// <summary>Calls in a burst: the first is not timed (it brings the operands back into cache after the other
    /// side's burst), the others are.</summary>
    private const int BurstCalls = 3;

    /// <summary>
    /// Times ours, and with <paramref name="torch"/> torch too, in alternating bursts of <see cref="BurstCalls"/>
    /// calls, so that a busy spell of a shared machine (runs minutes apart differ by half) falls on both sides
    /// alike. After a warm-up burst each (and at least 0.5 s), bursts go on for about 1.5 s of ours (3 s with torch)
    /// and at least 6 timed calls a side, at most 30 (quick: 0.1 s, 0.3 s, 2 to 10).
    /// </summary>
    private static List<Measurement> Time(
        Workload workload,
        IConvEngine engine,
        string name,
        int threads,
        bool quick,
        bool recycle,
        PeerProcess? torch
    )
    {
        var random = new Random(0);
        var (firstShape, secondShape) = workload.Problem.OperandShapes(workload.Operation);
        var first = RandomTensor(firstShape, random);
        var second = RandomTensor(secondShape, random);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < (quick ? 0.1 : 0.5))
        {
            for (int i = 0; i < BurstCalls; i++)
                Done(engine.Run(workload.Problem, workload.Operation, first, second), recycle);
            torch?.TorchBurst(workload, threads, BurstCalls);
        }
        var ours = new List<double>();
        var theirs = new List<double>();
        // Collections during our timed calls only, not during the untimed ones or torch's bursts.
        int gen2 = 0,
            collections = 0;
        var paused = TimeSpan.Zero;
        double budget = (quick ? 0.3 : 1.5) * (torch is null ? 1 : 2);
        int least = quick ? 2 : 6,
            most = quick ? 10 : 30;
        var ourBursts = new List<double>();
        var theirBursts = new List<double>();
        clock.Restart();
        while (ours.Count < least || (clock.Elapsed.TotalSeconds < budget && ours.Count < most))
        {
            int burstStart = ours.Count;
            Done(engine.Run(workload.Problem, workload.Operation, first, second), recycle);
            for (int i = 1; i < BurstCalls; i++)
            {
                int gen2Before = GC.CollectionCount(2),
                    before = GC.CollectionCount(0);
                var pausedBefore = GC.GetTotalPauseDuration();
                long start = Stopwatch.GetTimestamp();
                var result = engine.Run(workload.Problem, workload.Operation, first, second);
                ours.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                gen2 += GC.CollectionCount(2) - gen2Before;
                collections += GC.CollectionCount(0) - before;
                paused += GC.GetTotalPauseDuration() - pausedBefore;
                Done(result, recycle);
            }
            ourBursts.Add(Measurement.Median(ours[burstStart..].Order().ToList()));
            if (torch is not null)
            {
                // Our workers watch for the next job for 0.5 ms before they block: they block before torch's burst.
                Thread.Sleep(1);
                var burst = torch.TorchBurst(workload, threads, BurstCalls).Skip(1).ToList();
                theirs.AddRange(burst);
                theirBursts.Add(Measurement.Median(burst.Order().ToList()));
            }
        }
        var measured = new List<Measurement>
        {
            Summary(workload, name, threads, ours) with
            {
                Gen2Collections = gen2,
                Collections = collections,
                GcPauseMs = paused.TotalMilliseconds,
                BurstMedians = ourBursts,
            },
        };
        if (torch is not null)
            measured.Add(Summary(workload, "torch", threads, theirs) with { BurstMedians = theirBursts });
        return measured;
    }

    /// <summary>The median, fastest and slowest of <paramref name="times"/>, with the load average now.</summary>
    private static Measurement Summary(Workload workload, string engine, int threads, List<double> times)
    {
        times.Sort();
        return new Measurement(workload.Name, engine, threads, times[times.Count / 2], times[0], times[^1], times.Count)
        {
            LoadAverage = LoadAverage(),
        };
    }

    /// <summary>The bench drops each result at once: the cpu engine gets its memory back (as torch's allocator gets a
    /// dropped tensor's), outside the timed span.</summary>
    private static void Done(Tensor result, bool recycle)
    {
        if (recycle)
            CpuEngine.Recycle(result);
    }

    /// <summary>The 1-minute load average (/proc/loadavg), NaN where there is none.</summary>
    private static double LoadAverage()
    {
        try
        {
            string text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    private static Tensor RandomTensor(int[] shape, Random random)
    {
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)(random.NextDouble() * 2 - 1);
        return new Tensor(data, shape);
    }

    /// <summary>The results in the issue's schema, written whole or not at all.</summary>
    private static void WriteJson(string path, List<Measurement> results, List<Workload> workloads)
    {
        var flops = workloads.ToDictionary(w => w.Name, w => w.Flops);
        var rows = results.Select(r => new Dictionary<string, object>
        {
            ["workload"] = r.Workload,
            ["engine"] = r.Engine,
            ["threads"] = r.Threads,
            ["median_ms"] = Math.Round(r.MedianMs, 4),
            ["min_ms"] = Math.Round(r.MinMs, 4),
            ["gflops"] = Math.Round(flops[r.Workload] / (r.MedianMs * 1e6), 3),
            ["round_medians_ms"] = r.RoundMedians.Select(m => Math.Round(m, 4)).ToList(),
            ["burst_medians_ms"] = r.BurstMedians.Select(m => Math.Round(m, 4)).ToList(),
        });
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string temporary = path + ".tmp";
        File.WriteAllText(
            temporary,
            JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true })
        );
        File.Move(temporary, path, overwrite: true);
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown CPU" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}
