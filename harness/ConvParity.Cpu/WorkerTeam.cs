using System.Diagnostics;

namespace ConvParity.Cpu;

/// <summary>
/// A fixed team of threads that share out numbered work items. The calling thread works too, so a team
/// of one is just the caller. Teams are shared per size and live as long as the process; a caller that
/// finds its team busy runs its items alone.
/// <para>
/// Workers stay ready: after a job they watch for the next one for a short while (<see cref="ReadyTicks"/>,
/// yielding the core to anyone else who wants it while they watch) and only then block on a monitor, so
/// back-to-back jobs (the steps of one call, calls in a loop) do not pay a thread wake-up each, and an
/// idle team costs nothing. A job is over when all its items are done, not when every worker has
/// checked in: a worker that wakes late finds nothing left and the caller does not wait for it.
/// </para>
/// </summary>
internal sealed class WorkerTeam
{
    /// <summary>How long a worker (and a caller waiting for the last items) watches before it blocks: 0.5 ms.</summary>
    private static readonly long ReadyTicks = Stopwatch.Frequency / 2000;

    /// <summary>About this many work items a thread where the work divides so finely: enough for a thread that
    /// starts late or runs slow to even out, few enough that handing them out costs little. The kernels size their
    /// items by it.</summary>
    public const int ItemsPerThread = 8;

    private static readonly Dictionary<int, WorkerTeam> SharedTeams = [];
    private readonly object _wake = new(),
        _finished = new(),
        _running = new();
    private readonly Thread[] _workers;
    private Job? _job;
    private int _generation,
        _sleepers;

    /// <summary>One Run: its items, the next one to hand out, how many are over, the first failure.</summary>
    private sealed class Job(Action<int> body, int count)
    {
        public readonly Action<int> Body = body;
        public readonly int Count = count;
        public int Next,
            Done;
        public Exception? Failure;
    }

    /// <summary>The process-wide team of <paramref name="threads"/> threads.</summary>
    public static WorkerTeam Shared(int threads)
    {
        lock (SharedTeams)
        {
            if (!SharedTeams.TryGetValue(threads, out var team))
                SharedTeams[threads] = team = new WorkerTeam(threads);
            return team;
        }
    }

    /// <summary>A team of <paramref name="threads"/> (the caller plus threads - 1 workers).</summary>
    private WorkerTeam(int threads)
    {
        if (threads < 1)
            throw new ArgumentOutOfRangeException(nameof(threads), threads, "a team needs at least one thread");
        Threads = threads;
        _workers = new Thread[threads - 1];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"convparity-cpu-{i + 1}" };
            _workers[i].Start();
        }
    }

    /// <summary>The number of threads that run items, the caller included.</summary>
    public int Threads { get; }

    /// <summary>Runs <paramref name="body"/> for every item 0..count-1, in any order, and returns when all are
    /// done.</summary>
    public void Run(int count, Action<int> body)
    {
        if (count <= 0)
            return;
        if (Threads == 1 || count == 1 || !Monitor.TryEnter(_running))
        {
            for (int i = 0; i < count; i++)
                body(i);
            return;
        }
        try
        {
            RunShared(new Job(body, count));
        }
        finally
        {
            Monitor.Exit(_running);
        }
    }

    private void RunShared(Job job)
    {
        lock (_wake)
        {
            Volatile.Write(ref _job, job);
            Volatile.Write(ref _generation, _generation + 1);
            if (_sleepers > 0)
                Monitor.PulseAll(_wake);
        }
        Work(job);
        if (!Watch(() => Volatile.Read(ref job.Done) == job.Count))
            lock (_finished)
                while (Volatile.Read(ref job.Done) < job.Count)
                    Monitor.Wait(_finished);
        if (Volatile.Read(ref job.Failure) is { } failure)
            throw new AggregateException(failure);
    }

    /// <summary>Takes items until none is left; every item taken is counted as done, run or (after a failure)
    /// skipped.</summary>
    private void Work(Job job)
    {
        for (
            int i = Interlocked.Increment(ref job.Next) - 1;
            i < job.Count;
            i = Interlocked.Increment(ref job.Next) - 1
        )
        {
            try
            {
                if (Volatile.Read(ref job.Failure) is null)
                    job.Body(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref job.Failure, e, null);
            }
            finally
            {
                if (Interlocked.Increment(ref job.Done) == job.Count)
                    lock (_finished)
                        Monitor.PulseAll(_finished);
            }
        }
    }

    /// <summary>Watches <paramref name="ready"/> for <see cref="ReadyTicks"/>, yielding between looks; whether it
    /// came true.</summary>
    private static bool Watch(Func<bool> ready)
    {
        long deadline = Stopwatch.GetTimestamp() + ReadyTicks;
        var spinner = new SpinWait();
        while (!ready())
        {
            if (Stopwatch.GetTimestamp() > deadline)
                return false;
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }

    private void WorkerLoop()
    {
        int seen = 0;
        while (true)
        {
            if (!Watch(() => Volatile.Read(ref _generation) != seen))
                lock (_wake)
                {
                    _sleepers++;
                    while (_generation == seen)
                        Monitor.Wait(_wake);
                    _sleepers--;
                }
            seen = Volatile.Read(ref _generation);
            Work(Volatile.Read(ref _job)!);
        }
    }
}
