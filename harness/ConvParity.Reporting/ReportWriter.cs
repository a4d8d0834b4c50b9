using ConvParity.Engines;
using ConvParity.Fixtures;

namespace ConvParity.Reporting;

/// <summary>
/// Writes report.html and report.md into one folder: the summary per suite and engine, the distribution of
/// error / bound per suite, the tally per call, the failing cases with their likely cause, and the passes nearest
/// their bound, each case drawn once with every engine's verdict (<see cref="ReportContent"/>). report.html is one
/// self-contained page, its figures inlined: it opens from anywhere, alone.
/// The folder is written aside and moved into place whole (<see cref="OutputFolder"/>), so a failed run leaves the old
/// report intact; only an empty folder or an earlier report is replaced unless forced (<see cref="ReportFolder"/>).
/// </summary>
public static class ReportWriter
{
    /// <summary>
    /// Writes the report into <paramref name="directory"/>, re-running the drawn cases through <paramref
    /// name="engines"/>
    /// (the ones that ran) to get their answers. The folder gets the <see cref="ReportFolder.MarkerName"/> marker; an
    /// existing folder is replaced only when it is empty or an earlier report, or when <paramref name="force"/> is set.
    /// </summary>
    /// <returns>The paths of report.html and report.md.</returns>
    /// <exception cref="OutputFolderException">The folder may not be replaced, or cannot be written.</exception>
    public static (string Html, string Markdown) Write(
        string directory,
        IReadOnlyList<SuiteRun> runs,
        IReadOnlyList<IConvEngine> engines,
        bool force = false
    )
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(engines);
        if (ReportFolder.Refusal(directory, runs.Select(r => r.Suite.Directory), force) is { } refusal)
            throw new OutputFolderException(refusal);
        using var folder = OutputFolder.Claim(
            directory,
            target => force || ReportFolder.IsReplaceable(target),
            ReportFolder.ForceHint
        );
        try
        {
            var content = ReportContent.Build(runs, engines);
            File.WriteAllText(Path.Combine(folder.Staging, "report.md"), MarkdownReport.Write(content));
            File.WriteAllText(Path.Combine(folder.Staging, "report.html"), HtmlReport.Write(content));
            File.WriteAllText(Path.Combine(folder.Staging, ReportFolder.MarkerName), ReportFolder.MarkerText);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException($"{folder.Target}: cannot write the report: {e.Message}", e);
        }
        folder.Commit();
        return (Path.Combine(folder.Target, "report.html"), Path.Combine(folder.Target, "report.md"));
    }
}
