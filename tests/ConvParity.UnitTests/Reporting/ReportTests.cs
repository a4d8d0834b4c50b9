using System.Text;
using System.Text.RegularExpressions;
using ConvParity.Cli;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Problems;
using ConvParity.Reporting;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>
/// <c>convparity report</c>: the table, the closing line, and a report that is one self-contained page (every figure
/// an inlined SVG, heatmap cells a PNG inside it), each case drawn once, and report.md readable alone. The page in a
/// real browser: tests/ConvParity.BrowserTests.
/// </summary>
public sealed partial class ReportTests
{
    [Test]
    public void The_report_is_one_self_contained_page_with_each_case_drawn_once()
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("convparity-report-").FullName, "parity");
        try
        {
            var catalog = EngineCatalog
                .WithBuiltIns()
                .Add("planted-MissingFlip", () => new SummingEngine(Summation.Natural, PlantedBug.MissingFlip));
            string[] suites = [Path.Combine(Repository.Fixtures, "seed"), Path.Combine(Repository.Fixtures, "numpy")];
            var options = new CheckCommand.Settings(suites, catalog.Names);
            var output = new StringWriter();

            int code = ReportCommand.Run(options, folder, catalog, output, new StringWriter());

            string text = output.ToString();
            Assert.That(code, Is.EqualTo(ExitCodes.Failed));
            Assert.That(text, Does.Contain("│ seed").And.Contain("planted-MissingFlip"));
            Assert.That(text, Does.Contain("FAILED seed/theano.conv2d/valid/flip/0001 [planted-MissingFlip]"));
            Assert.That(
                Directory.GetFiles(folder).Select(Path.GetFileName),
                Is.EquivalentTo(new[] { "report.html", "report.md", ReportFolder.MarkerName }),
                "one page: nothing beside it"
            );

            string html = File.ReadAllText(Path.Combine(folder, "report.html"));
            var images = ImageSource().Matches(html).Select(m => m.Groups[1].Value).ToList();
            Assert.That(images, Has.Count.GreaterThanOrEqualTo(2 + 3), "a distribution per suite, and cases");
            Assert.That(images, Has.All.StartWith("data:image/svg+xml;base64,"));
            Assert.That(images, Is.Unique, "no picture twice");
            var svgs = images.Select(i => Encoding.UTF8.GetString(Convert.FromBase64String(i.Split(',')[1]))).ToList();
            Assert.That(svgs, Has.All.StartWith("<svg xmlns=\"http://www.w3.org/2000/svg\""));
            Assert.That(svgs, Has.All.Not.Contain("serif\"").Or.Contain("sans-serif"), "the page's sans-serif font");
            var inner = svgs.SelectMany(s => InnerImage().Matches(s).Select(m => m.Groups[1].Value)).ToList();
            Assert.That(inner, Has.All.StartWith("data:image/png;base64,"), "heatmap cells inlined");
            Assert.That(
                inner.Select(i => Convert.FromBase64String(i.Split(',')[1])[1..4]),
                Has.All.EqualTo("PNG"u8.ToArray())
            );
            Assert.That(html, Does.Not.Contain("src=\"http").And.Not.Contain("<link").And.Not.Contain("<script"));

            Assert.That(SummaryRow().Matches(html), Has.Count.EqualTo(2 * catalog.Names.Count));
            var links = CaseLink().Matches(html).Select(m => m.Groups[1].Value).ToList();
            Assert.That(links, Is.Not.Empty.And.Unique);
            Assert.That(links, Has.All.Matches<string>(a => html.Contains($"<section id=\"{a}\"")));
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

    [Test]
    public void The_passes_shown_nearest_their_bound_are_never_exact()
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("convparity-report-").FullName, "parity");
        try
        {
            var catalog = Repository.Engines;
            var options = new CheckCommand.Settings([Path.Combine(Repository.Fixtures, "seed")], ["cpu"]);

            int code = ReportCommand.Run(options, folder, catalog, new StringWriter(), new StringWriter());

            Assert.That(code, Is.EqualTo(ExitCodes.Passed));
            string md = File.ReadAllText(Path.Combine(folder, "report.md"));
            string nearest = md[md.IndexOf("## The passes nearest their bound", StringComparison.Ordinal)..];
            var ratios = VerdictRow().Matches(nearest).Select(m => m.Groups[1].Value).ToList();
            Assert.That(ratios, Is.Not.Empty, "the seed suite has cases the cpu engine does not answer exactly");
            Assert.That(ratios, Has.None.EqualTo("0"), "an exact case is not near its bound");
            Assert.That(md, Does.Contain("| seed | cpu | 5 | 0 | 0 |"), "the exact cases are there, in the summary");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Test]
    public void FFT_references_are_tallied_normwise_apart_from_the_per_element_figures()
    {
        var suite = FixtureSuite.Load(Path.Combine(Repository.Fixtures, "scipy"));
        var engine = new ReferenceEngine();
        var results = suite.Cases.Select(c => FixtureCheck.Prepare(suite, c).Run(engine)).ToList();
        var judged = results.Where(r => r.Verdict is not null).ToList();

        var tally = ResultTally.Of(suite.Name, engine.Name, results);

        var fft = judged.Where(r => r.Verdict!.BoundKind == "normwise (FFT reference)").ToList();
        Assert.That(fft, Is.Not.Empty, "the scipy suite has method='fft', fftconvolve and oaconvolve cases");
        Assert.That(judged.Select(r => r.Verdict!.Normwise), Is.EqualTo(judged.Select(r => fft.Contains(r))));
        Assert.That(tally.Normwise, Is.EqualTo(fft.Count));
        Assert.That(tally.WorstNormwiseRatio, Is.EqualTo(fft.Max(r => r.Verdict!.WorstRatio)));
        Assert.That(
            fft.Max(r => r.Verdict!.WorstTypicalRatio),
            Is.GreaterThan(16),
            "an FFT reference's own error reads as reduced precision in units of sqrt(n) u S"
        );
        Assert.That(tally.WorstTypicalRatio, Is.LessThanOrEqualTo(16), "the exact reference engine is float32 quality");
    }

    /// <summary>
    /// Answers a report must draw without breaking: every element NaN, every element infinite, every element the
    /// same (a flat picture), and values near float32's largest (a range that overflows when squared). Over 1-D
    /// (numpy), 2-D (seed) and 4-D (theano) cases, every figure is still well-formed SVG with finite coordinates,
    /// and the page counts each engine's failures.
    /// </summary>
    [Test]
    public void A_report_on_NaN_infinite_constant_and_huge_answers_draws_every_figure_with_finite_coordinates()
    {
        string folder = Path.Combine(Directory.CreateTempSubdirectory("convparity-report-").FullName, "parity");
        try
        {
            var fills = new Dictionary<string, float>
            {
                ["all-nan"] = float.NaN,
                ["all-inf"] = float.PositiveInfinity,
                ["all-zero"] = 0f,
                ["all-huge"] = 3e38f,
            };
            var catalog = new EngineCatalog();
            foreach (var (name, value) in fills)
                catalog.Add(name, () => new FillEngine(name, value));
            string[] suites = ["seed", "numpy", "theano"];
            var options = new CheckCommand.Settings(
                suites.Select(s => Path.Combine(Repository.Fixtures, s)).ToArray(),
                catalog.Names
            );
            var errors = new StringWriter();

            int code = ReportCommand.Run(options, folder, catalog, new StringWriter(), errors);

            Assert.That(code, Is.EqualTo(ExitCodes.Failed), errors.ToString());
            string html = File.ReadAllText(Path.Combine(folder, "report.html"));
            var svgs = ImageSource()
                .Matches(html)
                .Select(m => Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[1].Value.Split(',')[1])))
                .ToList();
            Assert.That(svgs, Has.Count.GreaterThanOrEqualTo(suites.Length + 3), "a curve per suite, and cases");
            foreach (string svg in svgs)
            {
                var document = System.Xml.Linq.XDocument.Parse(svg);
                var numbers = document
                    .Descendants()
                    .SelectMany(e => e.Attributes())
                    .Where(a =>
                        a.Name.LocalName
                            is "x"
                                or "y"
                                or "x1"
                                or "x2"
                                or "y1"
                                or "y2"
                                or "width"
                                or "height"
                                or "cx"
                                or "cy"
                                or "r"
                                or "d"
                                or "points"
                                or "viewBox"
                                or "transform"
                    )
                    .Where(a =>
                        a.Value.Contains("NaN", StringComparison.Ordinal)
                        || a.Value.Contains("Infinity", StringComparison.Ordinal)
                        || a.Value.Contains('∞')
                    )
                    .Select(a => $"{a.Parent!.Name.LocalName} {a.Name}=\"{a.Value}\"")
                    .ToList();
                Assert.That(numbers, Is.Empty, "coordinates that are not numbers");
            }
            string markdown = File.ReadAllText(Path.Combine(folder, "report.md"));
            foreach (string engine in fills.Keys)
                Assert.That(markdown, Does.Contain($"| seed | {engine} |"), engine);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    /// <summary>An engine that answers every call with its result shape filled with one value.</summary>
    private sealed class FillEngine(string name, float value) : IConvEngine
    {
        public string Name => name;

        public Tensor Forward(ConvProblem problem, Tensor x, Tensor w) => Fill(problem, ConvOperation.Forward);

        public Tensor GradInput(ConvProblem problem, Tensor dy, Tensor w) => Fill(problem, ConvOperation.GradInput);

        public Tensor GradWeights(ConvProblem problem, Tensor x, Tensor dy) => Fill(problem, ConvOperation.GradWeights);

        private Tensor Fill(ConvProblem problem, ConvOperation operation)
        {
            int[] shape = problem.ResultShape(operation);
            var data = new float[shape.Aggregate(1, (n, s) => n * s)];
            Array.Fill(data, value);
            return new Tensor(data, shape);
        }
    }

    [GeneratedRegex("<img src=\"([^\"]+)\"")]
    private static partial Regex ImageSource();

    [GeneratedRegex("<image [^>]*href=\"([^\"]+)\"")]
    private static partial Regex InnerImage();

    [GeneratedRegex("<tr class=\"summary-row\"")]
    private static partial Regex SummaryRow();

    [GeneratedRegex("<a class=\"case-link\" href=\"#([^\"]+)\"")]
    private static partial Regex CaseLink();

    /// <summary>A verdict row of report.md: its error / bound cell.</summary>
    [GeneratedRegex(@"^\| [^|]+ \| Passed \| ([^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex VerdictRow();
}
