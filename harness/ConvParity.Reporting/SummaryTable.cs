using System.Globalization;
using Spectre.Console;

namespace ConvParity.Reporting;

/// <summary>The suite x engine summary as a Spectre.Console table.</summary>
public static class SummaryTable
{
    /// <summary>One row per suite and engine: passed, failed, unsupported, worst error / bound, worst error in units of
    /// sqrt(n)*u*S.</summary>
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
        foreach (var row in runs.SelectMany(r => r.Rows))
        {
            string failed = row.Failed > 0 ? $"[red bold]{row.Failed}[/]" : "0";
            string unsupported = row.Unsupported > 0 ? $"[yellow]{row.Unsupported}[/]" : "0";
            string worst = Number(row.WorstRatio);
            if (row.WorstRatio > 1)
                worst = $"[red]{worst}[/]";
            table.AddRow(
                Markup.Escape(row.Suite),
                Markup.Escape(row.Engine),
                $"[green]{row.Passed}[/]",
                failed,
                unsupported,
                worst,
                Number(row.WorstTypicalRatio)
            );
        }
        return table;
    }

    /// <summary>A ratio in three significant digits, or "-" when there is none.</summary>
    internal static string Number(double? value) =>
        value is { } v ? v.ToString("G3", CultureInfo.InvariantCulture) : "-";
}
