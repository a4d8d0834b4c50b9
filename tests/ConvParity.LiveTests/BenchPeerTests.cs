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
        Assume.That(Directory.Exists("/proc/self/task"), "a process's threads are read from /proc (Linux)");
        var live = LivePython.ReferenceFor("torch.nn.functional.conv2d");
        string python = live.Runtime.Interpreter ?? PythonRuntime.DefaultInterpreter;
        var workload = Workload.All.Single(w => w.Name == "cnn-g");
        using var peer = new PeerProcess(
            python,
            Path.Combine(Repository.Root, "scripts", "bench-peers.py"),
            [1, 2],
            quick: true,
            new Dictionary<string, string>()
        );
        peer.PrepareTorch(workload);
        peer.TorchBurst(workload, 2, 2);
        var threads = Threads(peer.ProcessId);
        Assert.That(threads, Has.Count.GreaterThan(1), "a burst on 2 threads runs on a thread besides the main one");
        for (int burst = 0; burst < 3; burst++)
            peer.TorchBurst(workload, 2, 2);
        Assert.That(Threads(peer.ProcessId), Is.EqualTo(threads), "the peer's threads after three more bursts");
    }

    private static List<int> Threads(int process) =>
        Directory
            .GetDirectories($"/proc/{process}/task")
            .Select(path => int.Parse(Path.GetFileName(path), System.Globalization.CultureInfo.InvariantCulture))
            .Order()
            .ToList();
}
