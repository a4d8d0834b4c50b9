using ConvParity.Bench;
using ConvParity.Python;

namespace ConvParity.Tests.Live;

/// <summary>scripts/bench's peer script (scripts/bench-peers.py) run for real, with torch: what it does between
/// the bursts it times, which run in turn with ours.</summary>
[Category("Live")]
[NonParallelizable]
public sealed class BenchPeerTests
{
    /// <summary>
    /// torch.set_num_threads starts a fresh thread pool on every call, even at the count already set, and the new
    /// thread spins for 10-15 ms after the burst, taking a core from our burst that follows: our 2-thread cnn-g ran
    /// at its 1-thread time. A burst at the thread count already set must leave torch's threads as they were.
    /// </summary>
    [Test]
    public void A_burst_at_the_thread_count_already_set_starts_no_thread()
    {
        var workload = Workload.All.Single(w => w.Name == "cnn-g");
        using var peer = StartPeer();
        peer.PrepareTorch(workload);
        peer.TorchBurst(workload, 2, 2);
        var threads = Threads(peer.ProcessId);
        Assert.That(threads, Has.Count.GreaterThan(1), "a burst on 2 threads runs on a thread besides the main one");
        for (int burst = 0; burst < 3; burst++)
            peer.TorchBurst(workload, 2, 2);
        Assert.That(Threads(peer.ProcessId), Is.EqualTo(threads), "the peer's threads after three more bursts");
    }

    /// <summary>
    /// torch is timed at its default, whose OpenMP threads spin for some milliseconds after a call (6.5 ms at 2
    /// threads here), and OMP_WAIT_POLICY=PASSIVE, which made them block at once, slowed torch's 2-thread depthwise
    /// calls (cnn-h: 0.68-0.72 ms against 0.86-1.18). So the script answers a burst only once they have stopped,
    /// and they never run into ours.
    /// </summary>
    [Test]
    public void Torch_runs_at_its_default_and_its_threads_are_idle_when_a_burst_is_answered()
    {
        var workload = Workload.All.Single(w => w.Name == "cnn-h");
        using var peer = StartPeer();
        var policy = File.ReadAllText($"/proc/{peer.ProcessId}/environ")
            .Split('\0')
            .Where(v => v.StartsWith("OMP_WAIT_POLICY=", StringComparison.Ordinal));
        Assert.That(policy, Is.Empty, "OMP_WAIT_POLICY in the peer's environment");
        peer.PrepareTorch(workload);
        for (int burst = 0; burst < 5; burst++)
        {
            peer.TorchBurst(workload, 2, 3);
            var running = Threads(peer.ProcessId).Where(t => t != peer.ProcessId && State(peer.ProcessId, t) == 'R');
            Assert.That(running, Is.Empty, $"threads running besides the main one when burst {burst} was answered");
        }
    }

    /// <summary>The peer script, started in the live reference's Python; the test is skipped (failed where Python is
    /// required) without torch, and skipped where threads cannot be read from /proc.</summary>
    private static PeerProcess StartPeer()
    {
        Assume.That(Directory.Exists("/proc/self/task"), "a process's threads are read from /proc (Linux)");
        var live = LivePython.ReferenceFor("torch.nn.functional.conv2d");
        return new PeerProcess(
            live.Runtime.Interpreter ?? PythonRuntime.DefaultInterpreter,
            Path.Combine(Repository.Root, "scripts", "bench-peers.py"),
            [1, 2],
            quick: true,
            new Dictionary<string, string>()
        );
    }

    /// <summary>The state letter of a thread (R: running), or a space where it has ended.</summary>
    private static char State(int process, int thread)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{process}/task/{thread}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0];
        }
        catch (IOException)
        {
            return ' ';
        }
    }

    private static List<int> Threads(int process) =>
        Directory
            .GetDirectories($"/proc/{process}/task")
            .Select(path => int.Parse(Path.GetFileName(path), System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();
}
