using System.Net;
using System.Text;
using ConvParity.Fixtures;

namespace ConvParity.Reporting;

/// <summary>
/// report.html: one self-contained page. Every figure is an SVG data: URI (heatmap cells as a PNG inside it), the
/// style is inline, nothing is fetched: the file can be moved or mailed alone.
/// </summary>
internal static class HtmlReport
{
    private const string Style =
        "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2em auto;max-width:1500px;"
        + "padding:0 1.5em;color:#222;line-height:1.4}table{border-collapse:collapse;margin:.6em 0}"
        + "td,th{border:1px solid #ccc;padding:3px 8px;vertical-align:top}th{background:#f3f3f3;text-align:left}"
        + "td.n{text-align:right;font-variant-numeric:tabular-nums}.fail{color:#b00;font-weight:600}.pass{color:#070}"
        + ".unsupported{color:#a60}.figs{display:flex;gap:1em;flex-wrap:wrap;align-items:flex-start}"
        + "code{background:#f4f4f4;padding:0 .2em;word-break:break-all}.note{color:#555}"
        + "section{border-top:1px solid #ddd;margin-top:1.5em;padding-top:.3em}section:target{background:#fff8e1}"
        + "img{max-width:100%;height:auto}";

    /// <summary>The page.</summary>
    public static string Write(ReportContent content)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.AppendLine($"<title>ConvParity report</title><style>{Style}</style></head><body>");
        html.AppendLine("<h1>ConvParity report</h1>");
        html.AppendLine($"<p>{E(ReportText.Bound)}</p><p>{E(ReportText.Typical)}</p><p>{E(ReportText.Normwise)}</p>");

        html.AppendLine("<h2 id=\"summary\">Summary: each suite through each engine</h2>");
        html.AppendLine("<table id=\"summary-table\"><thead><tr><th>suite</th><th>engine</th>");
        html.AppendLine(
            string.Concat(ReportText.TallyHeaders.Select(h => $"<th>{E(h)}</th>")) + "</tr></thead><tbody>"
        );
        foreach (var row in content.Runs.SelectMany(r => r.Rows))
            html.AppendLine(
                $"<tr class=\"summary-row\" data-suite=\"{E(row.Group)}\" data-engine=\"{E(row.Engine)}\">"
                    + $"<td>{E(row.Group)}</td><td>{E(row.Engine)}</td>{TallyCells(row)}</tr>"
            );
        html.AppendLine("</tbody></table>");

        html.AppendLine("<h2 id=\"distribution\">How close to the float32 limit</h2>");
        html.AppendLine(
            "<p>Per suite, the share of cases (up) whose worst error / bound is at most the value along (right), one "
                + "line per engine: a line that reaches the top left of the dashed bound passed everything; the "
                + "further left it climbs, the more room below the bound. Exact cases start the line above 0.</p>"
                + "<div class=\"figs\">"
        );
        foreach (var run in content.Runs)
            html.AppendLine(
                Image(
                    SvgFigure.Ecdf($"{run.Suite.Name}: error / bound over its cases", content.Distribution(run)),
                    $"distribution of error over bound in {run.Suite.Name}"
                )
            );
        html.AppendLine("</div>");

        html.AppendLine("<h2 id=\"calls\">By call</h2><table><thead><tr><th>call</th><th>engine</th>");
        html.AppendLine(
            string.Concat(ReportText.TallyHeaders.Select(h => $"<th>{E(h)}</th>")) + "</tr></thead><tbody>"
        );
        foreach (var (call, rows) in content.ByCall)
            for (int i = 0; i < rows.Count; i++)
                html.AppendLine(
                    "<tr>"
                        + (i == 0 ? $"<td rowspan=\"{rows.Count}\"><code>{E(call)}</code></td>" : "")
                        + $"<td>{E(rows[i].Engine)}</td>{TallyCells(rows[i])}</tr>"
                );
        html.AppendLine("</tbody></table>");

        html.AppendLine($"<h2 id=\"failing\">Failing cases ({content.Failing.Count})</h2>");
        if (content.Failing.Count == 0)
            html.AppendLine("<p>None: every engine passed every case it could be asked.</p>");
        else
        {
            html.AppendLine(
                "<p>The worst first in each suite; each links to its section. The likely cause is the judge's: the "
                    + "neighbouring convention or precision that reproduces the engine's answer.</p>"
            );
            html.AppendLine(
                "<table id=\"failing-table\"><thead><tr><th>suite</th><th>case</th><th>failed by</th>"
                    + "<th>worst error / bound</th><th>likely cause, or why</th></tr></thead><tbody>"
            );
            foreach (var g in content.Failing)
            {
                var failed = g.Results.Where(r => r.Outcome == CaseOutcome.Failed).ToList();
                string why = string.Join(
                    "; ",
                    failed.Select(r => ReportText.VerdictCells(r)[^1]).Where(w => w.Length > 0).Distinct()
                );
                html.AppendLine(
                    $"<tr><td>{E(g.Run.Suite.Name)}</td><td><a class=\"case-link\" href=\"#{g.Anchor}\"><code>"
                        + $"{E(g.Case.Id)}</code></a></td><td>{E(string.Join(", ", failed.Select(r => r.Engine)))}</td>"
                        + $"<td class=\"n fail\">{ReportText.Number(g.WorstRatio)}</td><td>{E(why)}</td></tr>"
                );
            }
            html.AppendLine("</tbody></table>");
            foreach (var g in content.Failing)
                Section(html, content, g);
        }

        if (content.Unsupported.Count > 0)
        {
            html.AppendLine(
                $"<h2 id=\"unsupported\">Unsupported ({content.Unsupported.Count})</h2><table><thead><tr><th>suite</th>"
                    + "<th>case</th><th>engine</th><th>why</th></tr></thead><tbody>"
            );
            foreach (var r in content.Unsupported)
                html.AppendLine(
                    $"<tr><td>{E(r.Suite)}</td><td><code>{E(r.CaseId)}</code></td><td>{E(r.Engine)}</td>"
                        + $"<td class=\"unsupported\">{E(r.Message)}</td></tr>"
                );
            html.AppendLine("</tbody></table>");
        }

        html.AppendLine("<h2 id=\"nearest\">The passes nearest their bound</h2>");
        html.AppendLine(
            $"<p>Per suite, the {ReportContent.NearestShown} passing cases with the largest error / bound; exact "
                + "cases (no error at all) are left out.</p>"
        );
        if (content.Nearest.Count == 0)
            html.AppendLine("<p>None: no case passed with a nonzero error.</p>");
        foreach (var g in content.Nearest)
            Section(html, content, g);
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void Section(StringBuilder html, ReportContent content, CaseGroup g)
    {
        string outcome = g.Failed ? "fail" : "pass";
        html.AppendLine(
            $"<section id=\"{g.Anchor}\"><h3 class=\"{outcome}\">{(g.Failed ? "Failed" : "Passed")}: "
                + $"<code>{E(g.Case.Id)}</code> ({E(g.Run.Suite.Name)})</h3>"
        );
        html.AppendLine($"<p><code>{E(ReportContent.CallText(g.Case))}</code></p>");
        html.AppendLine(
            "<table class=\"verdicts\"><thead><tr>"
                + string.Concat(ReportText.VerdictHeaders.Select(h => $"<th>{E(h)}</th>"))
                + "</tr></thead><tbody>"
        );
        foreach (var r in g.Results)
        {
            var cells = ReportText.VerdictCells(r);
            string css = r.Outcome switch
            {
                CaseOutcome.Passed => "pass",
                CaseOutcome.Failed => "fail",
                _ => "unsupported",
            };
            html.AppendLine(
                $"<tr><td>{E(cells[0])}</td><td class=\"{css}\">{E(cells[1])}</td><td class=\"n\">{E(cells[2])}</td>"
                    + string.Concat(cells.Skip(3).Select(c => $"<td>{E(c)}</td>"))
                    + "</tr>"
            );
        }
        html.AppendLine("</tbody></table>");
        if (content.Drawings.TryGetValue(g.Anchor, out var drawing))
        {
            html.AppendLine($"<p class=\"note\">{E(drawing.Note)}</p><div class=\"figs\">");
            foreach (string svg in drawing.Figures)
                html.AppendLine(Image(svg, $"{g.Case.Id}: {drawing.Note}"));
            html.AppendLine("</div>");
        }
        else
            html.AppendLine(
                $"<p class=\"note\">Not drawn: only the {ReportContent.FailuresDrawn} worst failing cases of each "
                    + "suite are.</p>"
            );
        html.AppendLine("</section>");
    }

    private static string TallyCells(ResultTally row)
    {
        var cells = ReportText.Cells(row);
        string Css(int i) =>
            i switch
            {
                0 => " pass",
                1 when row.Failed > 0 => " fail",
                2 when row.Unsupported > 0 => " unsupported",
                3 when row.WorstRatio > 1 => " fail",
                6 when row.WorstNormwiseRatio > 1 => " fail",
                _ => "",
            };
        return string.Concat(
            cells.Select(
                (c, i) =>
                    i == 1 && row.Failed > 0
                        ? $"<td class=\"n{Css(i)}\"><a href=\"#failing\">{E(c)}</a></td>"
                        : $"<td class=\"n{Css(i)}\">{E(c)}</td>"
            )
        );
    }

    private static string Image(string svg, string alt) => $"<img src=\"{SvgFigure.DataUri(svg)}\" alt=\"{E(alt)}\">";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
