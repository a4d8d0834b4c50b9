using System.Text.Json.Nodes;
using ConvParity.Cli;
using ConvParity.Tests;
using Microsoft.Playwright;

namespace ConvParity.BrowserTests;

/// <summary>
/// report.html opened as a reader opens it: a file in Debian's chromium (headless), driven by Playwright. The report
/// covers 1-D (numpy), single-value (seed) and 4-D and 5-D (every tenth theano case) results, with two planted-bug
/// engines so that cases fail. The page is moved alone into an empty folder first: it must need nothing beside it.
/// </summary>
[TestFixture]
[Category("Browser")]
[NonParallelizable]
public sealed class ReportPageTests
{
    private static readonly string[] SuiteNames = ["seed", "numpy-reference", "theano-reference"];
    private static readonly string[] Engines =
    [
        "cpu-reference",
        "cpu",
        "planted-MissingFlip",
        "planted-AnchorOffByOne",
    ];

    private string _folder = "";
    private string _page = "";
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    [OneTimeSetUp]
    public async Task Write_the_report_and_start_chromium()
    {
        string chromium = Environment.GetEnvironmentVariable("CONVPARITY_CHROMIUM") ?? "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            string missing =
                $"no chromium at {chromium} (set CONVPARITY_CHROMIUM, or `apt-get install chromium`: "
                + "scripts/setup does)";
            if (Required)
                Assert.Fail($"{missing}: in CI the browser tests must run");
            Assert.Ignore(missing);
        }
        _folder = Directory.CreateTempSubdirectory("convparity-browser-").FullName;
        string report = Path.Combine(_folder, "report");
        var catalog = Repository
            .Engines.Add("planted-MissingFlip", () => new SummingEngine(Summation.Natural, PlantedBug.MissingFlip))
            .Add("planted-AnchorOffByOne", () => new SummingEngine(Summation.Natural, PlantedBug.AnchorOffByOne));
        string[] suites =
        [
            Path.Combine(Root, "fixtures", "seed"),
            Path.Combine(Root, "fixtures", "numpy"),
            EveryTenthCase(Path.Combine(Root, "fixtures", "theano"), Path.Combine(_folder, "theano")),
        ];
        var options = new CheckCommand.Settings(suites, Engines);
        var errors = new StringWriter();
        int code = ReportCommand.Run(options, report, catalog, new StringWriter(), errors);
        Assert.That(code, Is.EqualTo(ExitCodes.Failed), errors.ToString());
        // Alone in a folder of its own: nothing beside it to lean on.
        string alone = Path.Combine(_folder, "mailed");
        Directory.CreateDirectory(alone);
        _page = Path.Combine(alone, "report.html");
        File.Move(Path.Combine(report, "report.html"), _page);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(
            new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true }
        );
    }

    [OneTimeTearDown]
    public async Task Close()
    {
        if (_browser is not null)
            await _browser.CloseAsync();
        _playwright?.Dispose();
        if (_folder.Length > 0)
            Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public async Task The_page_opens_without_errors_and_fetches_nothing()
    {
        var page = await _browser!.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
                problems.Add($"console: {m.Text}");
        };
        page.PageError += (_, e) => problems.Add($"page error: {e}");
        page.Request += (_, r) =>
        {
            if (
                !r.Url.StartsWith("file:", StringComparison.Ordinal)
                && !r.Url.StartsWith("data:", StringComparison.Ordinal)
            )
                problems.Add($"fetched {r.Url}");
        };
        page.RequestFailed += (_, r) => problems.Add($"failed to load {r.Url}");
        await page.GotoAsync(new Uri(_page).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });

        Assert.That(problems, Is.Empty);
        Directory.CreateDirectory(Path.Combine(Root, "artifacts", "browser"));
        // The first screens (summary, distributions, the tables): the whole page is too tall to shoot in time.
        await page.SetViewportSizeAsync(1400, 2400);
        await page.ScreenshotAsync(
            new PageScreenshotOptions { Path = Path.Combine(Root, "artifacts", "browser", "report.png") }
        );
        await page.CloseAsync();
    }

    [Test]
    public async Task Every_image_is_decoded()
    {
        var page = await Open();
        int count = await page.EvaluateAsync<int>("() => document.images.length");
        var broken = await page.EvaluateAsync<string[]>(
            "() => [...document.images].filter(i => !i.complete || i.naturalWidth <= 0).map(i => i.alt)"
        );

        Assert.That(count, Is.GreaterThanOrEqualTo(SuiteNames.Length + 3), "a distribution per suite, and cases");
        Assert.That(broken, Is.Empty);
        await page.CloseAsync();
    }

    [Test]
    public async Task The_summary_has_one_row_per_suite_and_engine()
    {
        var page = await Open();
        var rows = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('#summary-table tbody tr')]"
                + ".map(r => r.cells[0].textContent + ' / ' + r.cells[1].textContent)"
        );

        Assert.That(rows, Is.EquivalentTo(SuiteNames.SelectMany(s => Engines.Select(e => $"{s} / {e}"))));
        await page.CloseAsync();
    }

    [Test]
    public async Task Each_failing_case_link_lands_on_its_section()
    {
        var page = await Open();
        var links = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('#failing-table a.case-link')].map(a => a.getAttribute('href'))"
        );
        Assert.That(links, Is.Not.Empty, "the planted bugs fail cases");
        Assert.That(links, Is.Unique);
        var missed = new List<string>();
        foreach (string href in links)
        {
            await page.ClickAsync($"#failing-table a[href='{href}']");
            string problem = await page.EvaluateAsync<string>(
                "h => { const s = document.getElementById(h.slice(1));"
                    + " if (location.hash !== h) return 'the address shows ' + location.hash;"
                    + " if (!s) return 'no section';"
                    + " if (!s.querySelector('h3.fail')) return 'the section is not a failing case';"
                    + " const top = s.getBoundingClientRect().top;"
                    + " return Math.abs(top) <= 2 ? '' : 'the section is ' + top + ' px from the top of the view'; }",
                href
            );
            if (problem.Length > 0)
                missed.Add($"{href}: {problem}");
        }

        Assert.That(missed, Is.Empty);
        await page.CloseAsync();
    }

    private async Task<IPage> Open()
    {
        var page = await _browser!.NewPageAsync();
        await page.GotoAsync(new Uri(_page).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return page;
    }

    /// <summary>In CI (CI=true, or CONVPARITY_REQUIRE_PYTHON=1 as .ci/run sets) a missing browser fails: skipped is
    /// not passed.</summary>
    private static bool Required =>
        Environment.GetEnvironmentVariable("CONVPARITY_REQUIRE_PYTHON") == "1"
        || string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string Root => Repository.Root;

    /// <summary>A copy of <paramref name="suite"/> in <paramref name="copy"/> whose manifest keeps every tenth case:
    /// each call of the suite, in less time.</summary>
    private static string EveryTenthCase(string suite, string copy)
    {
        Directory.CreateDirectory(copy);
        foreach (string file in Directory.GetFiles(suite))
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        string manifest = Path.Combine(copy, "manifest.json");
        var root = JsonNode.Parse(File.ReadAllText(manifest))!.AsObject();
        var kept = root["cases"]!.AsArray().Where((_, i) => i % 10 == 0).Select(c => c!.DeepClone()).ToArray();
        root["cases"] = new JsonArray(kept);
        File.WriteAllText(manifest, root.ToJsonString());
        return copy;
    }
}
