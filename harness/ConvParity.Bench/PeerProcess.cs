using System.Diagnostics;
using System.Text.Json;

namespace ConvParity.Bench;

/// <summary>
/// The peer script (scripts/bench-peers.py) kept running for the whole bench and given one workload at a time,
/// so that each workload's peers run right after ours and see the same machine state (the machine may be shared).
/// Its progress passes through to stderr.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _command;

    /// <summary>Starts <paramref name="script"/> in <paramref name="python"/> and sends it the settings.</summary>
    /// <param name="python">The Python interpreter.</param>
    /// <param name="script">The peer script.</param>
    /// <param name="threadCounts">Thread counts for torch.</param>
    /// <param name="quick">Fewer repeats.</param>
    /// <param name="environment">Variables set for the script (the instruction set torch may use).</param>
    /// <exception cref="InvalidOperationException">The script is missing or did not start.</exception>
    public PeerProcess(
        string python,
        string script,
        int[] threadCounts,
        bool quick,
        IReadOnlyDictionary<string, string> environment
    )
    {
        if (!File.Exists(script))
            throw new InvalidOperationException($"the peer script {script} does not exist");
        _command = $"{python} {script}";
        var start = new ProcessStartInfo(python, [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // torch at its default, whose OpenMP threads spin for a while after each call: the script waits for them to
        // stop before it answers a burst, so that they do not run into ours.
        start.Environment.Remove("OMP_WAIT_POLICY");
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{python} did not start");
        _process.StandardInput.WriteLine(JsonSerializer.Serialize(new { quick, threads = threadCounts }));
        _process.StandardInput.Flush();
    }

    /// <summary>The script's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Times the peers of <paramref name="workload"/>; peer errors go to stderr.</summary>
    /// <exception cref="InvalidOperationException">The script ended before it finished the workload.</exception>
    public List<Measurement> Time(Workload workload)
    {
        Send(Spec(workload));
        var results = new List<Measurement>();
        for (string? line; (line = _process.StandardOutput.ReadLine()) is not null; )
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("done", out _))
                return results;
            if (root.TryGetProperty("error", out var error))
            {
                Console.Error.WriteLine($"bench: peer: {error.GetString()}");
                continue;
            }
            results.Add(
                new Measurement(
                    root.GetProperty("workload").GetString()!,
                    root.GetProperty("engine").GetString()!,
                    root.GetProperty("threads").GetInt32(),
                    root.GetProperty("median_ms").GetDouble(),
                    root.GetProperty("min_ms").GetDouble(),
                    root.GetProperty("max_ms").GetDouble(),
                    root.GetProperty("runs").GetInt32()
                )
                {
                    LoadAverage = root.TryGetProperty("load", out var load) ? load.GetDouble() : double.NaN,
                }
            );
        }
        throw Ended(workload.Name);
    }

    /// <summary>Builds <paramref name="workload"/>'s torch call and operands in the script, for <see
    /// cref="TorchBurst"/>.</summary>
    /// <exception cref="InvalidOperationException">The script could not (torch missing, a bad workload) or
    /// ended.</exception>
    public void PrepareTorch(Workload workload)
    {
        Send(new { prepare = Spec(workload) });
        using var ready = Reply(workload.Name);
    }

    /// <summary>Runs the prepared torch call of <paramref name="workload"/> <paramref name="calls"/> times back to
    /// back on <paramref name="threads"/> threads: each call's time in ms, measured in the script.</summary>
    /// <exception cref="InvalidOperationException">The script failed or ended.</exception>
    public double[] TorchBurst(Workload workload, int threads, int calls)
    {
        Send(
            new
            {
                burst = workload.Name,
                threads,
                calls,
            }
        );
        using var reply = Reply(workload.Name);
        return reply.RootElement.GetProperty("ms").EnumerateArray().Select(t => t.GetDouble()).ToArray();
    }

    private void Send(object request)
    {
        _process.StandardInput.WriteLine(JsonSerializer.Serialize(request));
        _process.StandardInput.Flush();
    }

    /// <summary>The script's answer to a prepare or burst request.</summary>
    private JsonDocument Reply(string workload)
    {
        string line = _process.StandardOutput.ReadLine() ?? throw Ended(workload);
        var json = JsonDocument.Parse(line);
        if (json.RootElement.TryGetProperty("error", out var error))
        {
            json.Dispose();
            throw new InvalidOperationException($"torch on {workload}: {error.GetString()}");
        }
        return json;
    }

    private InvalidOperationException Ended(string workload)
    {
        _process.WaitForExit();
        return new InvalidOperationException(
            $"{_command} ended (exit {_process.ExitCode}) before it finished {workload}"
        );
    }

    /// <summary>The workload as the script reads it.</summary>
    private static object Spec(Workload workload) =>
        new
        {
            name = workload.Name,
            kind = workload.Kind,
            operation = workload.Operation switch
            {
                Problems.ConvOperation.GradInput => "grad-input",
                Problems.ConvOperation.GradWeights => "grad-weights",
                _ => "forward",
            },
            batch = workload.Problem.Batch,
            channels = workload.Problem.InChannels,
            outputs = workload.Problem.OutChannels,
            groups = workload.Problem.Groups,
            size = workload.Problem.InputSize,
            kernel = workload.Problem.KernelSize,
            stride = workload.Problem.Stride[0],
            pad = workload.Problem.PadBefore[0],
        };

    /// <summary>Ends the script (end of input) and waits for it.</summary>
    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            _process.WaitForExit();
        }
        finally
        {
            _process.Dispose();
        }
    }
}
