namespace ConvParity.Cpu;

/// <summary>
/// A fixed team of threads that share out numbered work items. Idle workers block on a monitor and
/// never spin: on small virtual machines a spinning worker steals the core the real work needs.
/// The calling thread works too, so a team of one is just the caller. Teams are shared per size and
/// live as long as the process; a caller that finds its team busy runs its items alone.
/// </summary>
internal sealed class WorkerTeam
{
    private static readonly Dictionary<int, WorkerTeam> SharedTeams = [];
    private readonly object _gate = new(),
        _running = new();
    private readonly Thread[] _workers;
    private Action<int>? _body;
    private int _count,
        _next,
        _busy,
        _generation;
    private Exception? _failure;

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
            RunShared(count, body);
        }
        finally
        {
            Monitor.Exit(_running);
        }
    }

    private void RunShared(int count, Action<int> body)
    {
        lock (_gate)
        {
            _body = body;
            _count = count;
            _next = 0;
            _busy = _workers.Length;
            _failure = null;
            _generation++;
            Monitor.PulseAll(_gate);
        }
        Work(body, count);
        lock (_gate)
        {
            while (_busy > 0)
                Monitor.Wait(_gate);
            _body = null;
            if (_failure is not null)
                throw new AggregateException(_failure);
        }
    }

    private void Work(Action<int> body, int count)
    {
        try
        {
            for (int i = Interlocked.Increment(ref _next) - 1; i < count; i = Interlocked.Increment(ref _next) - 1)
                body(i);
        }
        catch (Exception e)
        {
            lock (_gate)
                _failure ??= e;
            Interlocked.Exchange(ref _next, count); // stop handing out items
        }
    }

    private void WorkerLoop()
    {
        int seen = 0;
        while (true)
        {
            Action<int> body;
            int count;
            lock (_gate)
            {
                while (_generation == seen)
                    Monitor.Wait(_gate);
                seen = _generation;
                body = _body!;
                count = _count;
            }
            Work(body, count);
            lock (_gate)
            {
                if (--_busy == 0)
                    Monitor.PulseAll(_gate);
            }
        }
    }
}
