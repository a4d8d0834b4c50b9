using Spectre.Console;

namespace ConvParity.Cli;

/// <summary>
/// The one progress display of <c>check</c>, <c>report</c> and <c>explain</c>: a Spectre.Console progress bar per step
/// when the errors stream is the terminal; nothing but each step's closing line in logs and tests.
/// </summary>
internal static class ConsoleProgress
{
    /// <summary>Whether <paramref name="errors"/> is the process's standard error on a terminal.</summary>
    public static bool IsLive(TextWriter errors) => errors == Console.Error && !Console.IsErrorRedirected;

    /// <summary>
    /// Runs the steps one after another. Step i gets a progress callback (done, total) when there is a bar to feed,
    /// and returns a closing line for <paramref name="errors"/> (or null): written as the step ends in logs, after the
    /// bars on a terminal.
    /// </summary>
    public static void Run(TextWriter errors, IReadOnlyList<string> labels, Func<int, Action<int, int>?, string?> step)
    {
        if (!IsLive(errors))
        {
            for (int i = 0; i < labels.Count; i++)
                if (step(i, null) is { } line)
                    errors.WriteLine(line);
            return;
        }
        var lines = new List<string>();
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(errors) });
        terminal
            .Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn()
            )
            .Start(context =>
            {
                var tasks = labels.Select(label => context.AddTask(label, autoStart: false)).ToList();
                for (int i = 0; i < labels.Count; i++)
                {
                    var task = tasks[i];
                    task.StartTask();
                    string? line = step(
                        i,
                        (done, total) =>
                        {
                            task.MaxValue = Math.Max(total, 1);
                            task.Value = done;
                        }
                    );
                    if (line is not null)
                        lines.Add(line);
                    task.Value = task.MaxValue;
                    task.StopTask();
                }
            });
        foreach (string line in lines)
            errors.WriteLine(line);
    }
}
