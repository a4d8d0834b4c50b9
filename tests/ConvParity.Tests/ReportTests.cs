using System.Text.RegularExpressions;
using ConvParity.Cli;
using ConvParity.Engines;

namespace ConvParity.Tests;

/// <summary><c>convparity report</c>: the table, the closing line, and a report whose heatmaps exist and are
/// referenced.</summary>
public sealed partial class ReportTests
{
    [Test]
    public void The_report_draws_failing_and_worst_cases_and_the_page_references_every_heatmap()
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("convparity-report-").FullName, "parity");
        try
        {
            var catalog = EngineCatalog
                .WithBuiltIns()
                .Add("planted-MissingFlip", () => new SummingEngine(Summation.Natural, PlantedBug.MissingFlip));
            var options = new CheckCommand.Settings([Path.Combine(Repository.Fixtures, "seed")], catalog.Names);
            var output = new StringWriter();

            int code = ReportCommand.Run(options, folder, catalog, output, new StringWriter());

            string text = output.ToString();
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(text.TrimEnd().Split('\n')[^1], Is.EqualTo("7 passed, 3 failed, 0 unsupported"));
            Assert.That(text, Does.Contain("│ seed").And.Contain("planted-MissingFlip"));
            Assert.That(text, Does.Contain("FAILED seed/theano.conv2d/valid/flip/0001 [planted-MissingFlip]"));

            string html = File.ReadAllText(Path.Combine(folder, "report.html"));
            var images = ImageSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
            Assert.That(
                images,
                Has.Count.GreaterThanOrEqualTo(2 * 3),
                "error and expected heatmaps of the three failures at least"
            );
            Assert.That(
                images.Where(i => !File.Exists(Path.Combine(folder, i))),
                Is.Empty,
                "every referenced heatmap exists"
            );
            Assert.That(images.Select(i => new FileInfo(Path.Combine(folder, i)).Length), Has.All.GreaterThan(1000));
            Assert.That(
                images.Select(i => File.ReadAllBytes(Path.Combine(folder, i))[1..4]),
                Has.All.EqualTo("PNG"u8.ToArray())
            );
            Assert.That(html, Does.Contain("kernel not flipped"));
            Assert.That(
                File.ReadAllText(Path.Combine(folder, "report.md")),
                Does.Contain("| seed | planted-MissingFlip | 2 | 3 | 0 |")
            );
            Assert.That(
                Directory.GetDirectories(Path.GetDirectoryName(folder)!),
                Has.Length.EqualTo(1),
                "no partial folder left behind"
            );
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [GeneratedRegex("<img src=\"([^\"]+)\"")]
    private static partial Regex ImageSource();
}
