using Spectre.Console;

namespace ConvParity.Reporting;

/// <summary>The suite x engine summary as a Spectre.Console table.</summary>
public static class SummaryTable
{
    /// <summary>
    /// One row per suite and engine: passed, failed, unsupported, worst error / bound and worst error in units of
    /// sqrt(n)*u*S among the cases judged per element, and the cases judged normwise (FFT references) with their worst
    /// error / bound.
    /// </summary>
    public static Table Build(IEnumerable<SuiteRun> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var table = new Table()
            .Border(TableBorder.Rounded)
            .Title("[bold]ConvParity: engines against the reference libraries[/]");
        table.AddColumn("suite");
        table.AddColumn("engine");
        table.AddColumn(new TableColumn("passed").RightAligned());
        table.AddColumn(new TableColumn("failed").RightAligned());
        table.AddColumn(new TableColumn("unsupported").RightAligned());
        table.AddColumn(new TableColumn("worst error / bound").RightAligned());
        table.AddColumn(new TableColumn("worst error / (sqrt(n) u S)").RightAligned());
        table.AddColumn(new TableColumn("normwise (FFT): cases, worst error / bound").RightAligned());
        foreach (var row in runs.SelectMany(r => r.Rows))
        {
            string failed = row.Failed > 0 ? $"[red bold]{row.Failed}[/]" : "0";
            string unsupported = row.Unsupported > 0 ? $"[yellow]{row.Unsupported}[/]" : "0";
            string worst = ReportText.Number(row.WorstRatio);
            if (row.WorstRatio > 1)
                worst = $"[red]{worst}[/]";
            string normwise = row.Normwise == 0 ? "-" : $"{row.Normwise}, {ReportText.Number(row.WorstNormwiseRatio)}";
            if (row.WorstNormwiseRatio > 1)
                normwise = $"[red]{normwise}[/]";
            table.AddRow(
                Markup.Escape(row.Group),
                Markup.Escape(row.Engine),
                $"[green]{row.Passed}[/]",
                failed,
                unsupported,
                worst,
                ReportText.Number(row.WorstTypicalRatio),
                normwise
            );
        }
        return table;
    }
}
