using System.Globalization;
using System.Net;
using System.Text;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Judging;
using ConvParity.Tensors;
using ScottPlot;

namespace ConvParity.Reporting;

/// <summary>
/// Writes report.html and report.md with PNG heatmaps into one folder: the summary, the worst cases, and
/// for each failing or worst case |actual - expected| / bound next to the expected output (the 2-D
/// slice through the worst element). The HTML is one static page: it opens in a browser from disk.
/// The folder is written aside and moved into place whole (<see cref="OutputFolder"/>), so a failed run leaves the old
/// report intact; only an empty folder or an earlier report is replaced unless forced (<see cref="ReportFolder"/>).
/// </summary>
public static class ReportWriter
{
    /// <summary>Failing cases drawn per suite and engine (the worst first); the rest are listed.</summary>
    public const int FailuresDrawn = 8;

    /// <summary>Passing cases drawn per suite and engine: those closest to their bound.</summary>
    public const int WorstPassingDrawn = 2;

    /// <summary>A case drawn in the report.</summary>
    private sealed record Figure(SuiteRun Run, CaseResult Result, string ErrorPng, string ExpectedPng, string Slice);

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
            var figures = Draw(folder.Staging, runs, engines);
            File.WriteAllText(Path.Combine(folder.Staging, "report.md"), Markdown(runs, figures));
            File.WriteAllText(Path.Combine(folder.Staging, "report.html"), Html(runs, figures));
            File.WriteAllText(Path.Combine(folder.Staging, ReportFolder.MarkerName), ReportFolder.MarkerText);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException($"{folder.Target}: cannot write the report: {e.Message}", e);
        }
        folder.Commit();
        return (Path.Combine(folder.Target, "report.html"), Path.Combine(folder.Target, "report.md"));
    }

    /// <summary>Cases worth a figure: the worst failures, then the passes closest to their bound, per suite and
    /// engine.</summary>
    private static IEnumerable<(SuiteRun Run, CaseResult Result)> Chosen(IReadOnlyList<SuiteRun> runs) =>
        runs.SelectMany(run =>
            run.Results.Where(r => r.Verdict?.Worst is not null)
                .GroupBy(r => r.Engine)
                .SelectMany(g =>
                    g.Where(r => r.Outcome == CaseOutcome.Failed)
                        .OrderByDescending(r => r.Verdict!.WorstRatio)
                        .Take(FailuresDrawn)
                        .Concat(
                            g.Where(r => r.Outcome == CaseOutcome.Passed)
                                .OrderByDescending(r => r.Verdict!.WorstRatio)
                                .Take(WorstPassingDrawn)
                        )
                        .Select(r => (run, r))
                )
        );

    private static List<Figure> Draw(string folder, IReadOnlyList<SuiteRun> runs, IReadOnlyList<IConvEngine> engines)
    {
        var figures = new List<Figure>();
        foreach (var (run, result) in Chosen(runs))
        {
            var check = FixtureCheck.Prepare(run.Suite, run.Suite.Cases.Single(c => c.Id == result.CaseId));
            var (_, actual) = check.RunKeepingAnswer(engines.First(e => e.Name == result.Engine));
            if (actual is null || check.Bound is null)
                continue;
            string stem = $"{figures.Count:000}-{FileName(result.Engine)}-{FileName(result.CaseId)}";
            var (errorPlane, expectedPlane, slice) = Planes(actual, check.Bound, [.. result.Verdict!.Worst!.Index]);
            Heatmap(errorPlane, "log10(|actual - expected| / bound)", Path.Combine(folder, stem + "-error.png"));
            Heatmap(expectedPlane, "expected (the library's answer)", Path.Combine(folder, stem + "-expected.png"));
            figures.Add(new Figure(run, result, stem + "-error.png", stem + "-expected.png", slice));
        }
        return figures;
    }

    /// <summary>
    /// The 2-D slice through <paramref name="worst"/> over the last two axes: log10 of error / bound (at
    /// least -4; NaN/Inf mismatches one above the largest finite value) and the expected values.
    /// </summary>
    private static (double[,] Error, double[,] Expected, string Slice) Planes(
        Tensor actual,
        ErrorBound bound,
        int[] worst
    )
    {
        int rank = actual.Rank;
        int rows = rank >= 2 ? actual.Shape[rank - 2] : 1,
            columns = rank >= 1 ? actual.Shape[rank - 1] : 1;
        int offset =
            rank <= 2
                ? 0
                : Enumerable.Range(0, rank - 2).Aggregate(0, (o, d) => o * actual.Shape[d] + worst[d]) * rows * columns;
        var error = new double[rows, columns];
        var expected = new double[rows, columns];
        var mismatched = new List<(int, int)>();
        double top = 0;
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < columns; c++)
        {
            int i = offset + r * columns + c;
            float a = actual.Span[i],
                e = bound.Expected.Span[i];
            expected[r, c] = float.IsFinite(e) ? e : double.NaN;
            bool bothFinite = float.IsFinite(a) && float.IsFinite(e);
            bool sameNonFinite = !bothFinite && (float.IsNaN(e) ? float.IsNaN(a) : a == e);
            if (bothFinite || sameNonFinite)
            {
                error[r, c] = bothFinite ? Math.Log10(Math.Max(1e-4, Math.Abs((double)a - e) / bound.At(i))) : -4;
                top = Math.Max(top, error[r, c]);
            }
            else
                mismatched.Add((r, c));
        }
        foreach (var (r, c) in mismatched)
            error[r, c] = top + 1;
        string slice = rank <= 2 ? "the whole result" : $"[{string.Join(", ", worst.Take(rank - 2))}, :, :]";
        return (error, expected, slice);
    }

    private static void Heatmap(double[,] values, string title, string path)
    {
        var plot = new Plot();
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(map);
        plot.Axes.InvertY(); // row 0 on top, as the array prints
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(title, size: 13);
        plot.XLabel("last axis");
        plot.YLabel("second-to-last axis");
        int width = Math.Clamp(120 + 26 * values.GetLength(1), 380, 900),
            height = Math.Clamp(100 + 26 * values.GetLength(0), 300, 800);
        plot.SavePng(path, width, height);
    }

    private static string FileName(string text) =>
        new(text.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-' ? ch : '_').Take(80).ToArray());

    private static string Number(double value) => value.ToString("G3", CultureInfo.InvariantCulture);

    private static string Markdown(IReadOnlyList<SuiteRun> runs, List<Figure> figures)
    {
        var md = new StringBuilder();
        md.AppendLine("# ConvParity report").AppendLine();
        md.AppendLine(
                "Every engine against every reference suite, "
                    + "judged under the float32 error bound (docs/error-bound.md in the ConvParity repository): "
            )
            .AppendLine("an error below 1 x bound passes; a few units of sqrt(n)*u*S is float32 quality.")
            .AppendLine();
        md.AppendLine(
            "| suite | engine | passed | failed | unsupported | worst error / bound | worst error / (sqrt(n) u S) |"
        );
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var row in runs.SelectMany(r => r.Rows))
            md.AppendLine(
                $"| {row.Suite} | {row.Engine} | {row.Passed} | {row.Failed} | {row.Unsupported} | "
                    + $"{SummaryTable.Number(row.WorstRatio)} | {SummaryTable.Number(row.WorstTypicalRatio)} |"
            );
        md.AppendLine().AppendLine("## Cases that failed or were unsupported").AppendLine();
        var bad = runs.SelectMany(r => r.Results).Where(r => r.Outcome != CaseOutcome.Passed).ToList();
        if (bad.Count == 0)
            md.AppendLine("None.");
        foreach (var r in bad)
            md.AppendLine($"- **{r.Outcome}** `{r.CaseId}` [{r.Engine}]: {r.Message}");
        md.AppendLine()
            .AppendLine("## Drawn cases: the worst failures and the passes closest to their bound")
            .AppendLine();
        foreach (var f in figures)
        {
            md.AppendLine($"### {f.Result.Outcome}: `{f.Result.CaseId}` [{f.Result.Engine}]").AppendLine();
            md.AppendLine($"{f.Result.Call}; {f.Result.Message}").AppendLine();
            md.AppendLine(
                    $"Slice {f.Slice}. Left: log10(|actual - expected| / bound), "
                        + "above 0 fails. Right: the library's answer."
                )
                .AppendLine();
            md.AppendLine($"![error / bound]({f.ErrorPng}) ![expected]({f.ExpectedPng})").AppendLine();
        }
        return md.ToString();
    }

    private static string Html(IReadOnlyList<SuiteRun> runs, List<Figure> figures)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.AppendLine(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ConvParity report</title><style>"
        );
        html.AppendLine(
            "body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px}"
                + "td.n{text-align:right}.fail{color:#b00;font-weight:bold}.pass{color:#070}"
                + ".figs{display:flex;gap:1em;flex-wrap:wrap}"
                + "code{background:#f4f4f4}.msg{font-family:monospace;font-size:90%;white-space:pre-wrap}"
                + "section{border-top:1px solid #ddd;margin-top:1.5em}"
        );
        html.AppendLine("</style></head><body><h1>ConvParity report</h1>");
        html.AppendLine(
            "<p>Every engine against every reference suite, judged under the float32 error bound: "
                + "an error below 1 x bound passes; a few units of sqrt(n)&middot;u&middot;S is float32 quality, "
                + "hundreds or more mean reduced precision.</p>"
        );
        html.AppendLine(
            "<table><tr><th>suite</th><th>engine</th><th>passed</th><th>failed</th><th>unsupported</th>"
                + "<th>worst error / bound</th><th>worst error / (sqrt(n) u S)</th></tr>"
        );
        foreach (var row in runs.SelectMany(r => r.Rows))
            html.AppendLine(
                $"<tr><td>{E(row.Suite)}</td><td>{E(row.Engine)}</td><td class=\"n pass\">{row.Passed}</td>"
                    + $"<td class=\"n{(row.Failed > 0 ? " fail" : "")}\">{row.Failed}</td>"
                    + $"<td class=\"n\">{row.Unsupported}</td>"
                    + $"<td class=\"n{(row.WorstRatio > 1 ? " fail" : "")}\">{SummaryTable.Number(row.WorstRatio)}</td>"
                    + $"<td class=\"n\">{SummaryTable.Number(row.WorstTypicalRatio)}</td></tr>"
            );
        html.AppendLine("</table>");

        html.AppendLine(
            "<h2>Worst cases</h2><table><tr><th>case</th><th>engine</th><th>outcome</th>"
                + "<th>error / bound</th><th>quality</th></tr>"
        );
        foreach (
            var r in runs.SelectMany(r => r.Results)
                .Where(r => r.Verdict is not null)
                .OrderByDescending(r => r.Verdict!.WorstRatio)
                .Take(15)
        )
            html.AppendLine(
                $"<tr><td><code>{E(r.CaseId)}</code></td><td>{E(r.Engine)}</td>"
                    + $"<td class=\"{(r.Outcome == CaseOutcome.Passed ? "pass" : "fail")}\">{r.Outcome}</td>"
                    + $"<td class=\"n\">{Number(r.Verdict!.WorstRatio)}</td><td>{E(r.Verdict.Quality)}</td></tr>"
            );
        html.AppendLine("</table>");

        var bad = runs.SelectMany(r => r.Results).Where(r => r.Outcome != CaseOutcome.Passed).ToList();
        html.AppendLine($"<h2>Cases that failed or were unsupported ({bad.Count})</h2><ul>");
        foreach (var r in bad)
            html.AppendLine(
                $"<li><b>{r.Outcome}</b> <code>{E(r.CaseId)}</code> [{E(r.Engine)}]: "
                    + $"<span class=\"msg\">{E(r.Message)}</span></li>"
            );
        html.AppendLine("</ul><h2>Drawn cases: the worst failures and the passes closest to their bound</h2>");
        foreach (var f in figures)
        {
            html.AppendLine(
                $"<section><h3 class=\"{(f.Result.Outcome == CaseOutcome.Passed ? "pass" : "fail")}\">"
                    + $"{f.Result.Outcome}: <code>{E(f.Result.CaseId)}</code> [{E(f.Result.Engine)}]</h3>"
            );
            html.AppendLine($"<p><code>{E(f.Result.Call)}</code></p><p class=\"msg\">{E(f.Result.Message)}</p>");
            html.AppendLine(
                $"<p>Slice {E(f.Slice)}. Left: log10(|actual &minus; expected| / bound), "
                    + "above 0 fails (NaN/Inf mismatches at the top of the scale). Right: the library's answer.</p>"
            );
            html.AppendLine(
                $"<div class=\"figs\"><img src=\"{E(f.ErrorPng)}\" alt=\"error over bound\">"
                    + $"<img src=\"{E(f.ExpectedPng)}\" alt=\"expected output\"></div></section>"
            );
        }
        html.AppendLine("</body></html>");
        return html.ToString();
    }
}
