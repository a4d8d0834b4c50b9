using System.Text;

namespace ConvParity.Reporting;

/// <summary>report.md: the same content as report.html in text, readable alone; the pictures are in the
/// html.</summary>
internal static class MarkdownReport
{
    /// <summary>The document.</summary>
    public static string Write(ReportContent content)
    {
        var md = new StringBuilder();
        md.AppendLine("# ConvParity report").AppendLine();
        md.AppendLine(ReportText.Bound).AppendLine();
        md.AppendLine(ReportText.Typical).AppendLine();
        md.AppendLine(ReportText.Normwise).AppendLine();
        md.AppendLine("The pictures (the distribution of error / bound per suite, and each case below drawn) are in ")
            .AppendLine("report.html beside this file, a single page that opens from anywhere.")
            .AppendLine();

        md.AppendLine("## Summary: each suite through each engine").AppendLine();
        Table(md, ["suite", "engine", .. ReportText.TallyHeaders], content.Runs.SelectMany(r => r.Rows).Select(Row));

        md.AppendLine("## By call").AppendLine();
        Table(md, ["call", "engine", .. ReportText.TallyHeaders], content.ByCall.SelectMany(c => c.Rows).Select(Row));

        md.AppendLine($"## Failing cases ({content.Failing.Count})").AppendLine();
        if (content.Failing.Count == 0)
            md.AppendLine("None: every engine passed every case it could be asked.").AppendLine();
        foreach (var g in content.Failing)
            Case(md, g);

        if (content.Unsupported.Count > 0)
        {
            md.AppendLine($"## Unsupported ({content.Unsupported.Count})").AppendLine();
            Table(
                md,
                ["suite", "case", "engine", "why"],
                content.Unsupported.Select(r => new[] { r.Suite, $"`{r.CaseId}`", r.Engine, r.Message })
            );
        }

        md.AppendLine("## The passes nearest their bound").AppendLine();
        md.AppendLine(
                $"Per suite, the {ReportContent.NearestShown} passing cases with the largest error / bound; exact "
                    + "cases are left out."
            )
            .AppendLine();
        foreach (var g in content.Nearest)
            Case(md, g);
        return md.ToString();
    }

    private static string[] Row(ResultTally row) => [row.Group, row.Engine, .. ReportText.Cells(row)];

    private static void Case(StringBuilder md, CaseGroup g)
    {
        md.AppendLine($"### {(g.Failed ? "Failed" : "Passed")}: `{g.Case.Id}` ({g.Run.Suite.Name})").AppendLine();
        md.AppendLine($"`{ReportContent.CallText(g.Case)}`").AppendLine();
        Table(md, ReportText.VerdictHeaders, g.Results.Select(ReportText.VerdictCells));
    }

    private static void Table(StringBuilder md, IReadOnlyList<string> headers, IEnumerable<string[]> rows)
    {
        md.AppendLine("| " + string.Join(" | ", headers) + " |");
        md.AppendLine("|" + string.Concat(headers.Select(_ => "---|")));
        foreach (var row in rows)
            md.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
        md.AppendLine();
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");
}
