using ConvParity.Cli;
using ConvParity.Fixtures;
using ConvParity.Testing;

namespace ConvParity.Tests;

/// <summary>The declared command line: help with exit codes, --version, suggestions, short errors, bundled
/// suites.</summary>
public sealed class CommandLineTests
{
    private static (int Code, string Output, string Errors) Run(params string[] args) => CommandRunner.Run(args);

    [TestCase("check", "--fixtures", "--bundled", "--engine", "--accelerator")]
    [TestCase("report", "--fixtures", "--bundled", "--engine", "--accelerator", "--out")]
    [TestCase("explain", "--input", "--kernel", "--output", "--call", "--kwargs", "--limit")]
    [TestCase("generate", "--suite", "--spec", "--update", "--out", "--seed", "--force", "--check")]
    public void Each_command_has_help_with_its_options_and_exit_codes(string command, params string[] options)
    {
        foreach (string help in new[] { "--help", "-h" })
        {
            var (code, output, errors) = Run(command, help);
            Assert.That(code, Is.EqualTo(ExitCodes.Passed), errors);
            Assert.That(output, Does.Contain($"convparity {command} [options]").And.Contain("Exit codes: 0"));
            foreach (string option in options)
                Assert.That(output, Does.Contain(option));
        }
    }

    [Test]
    public void Version_prints_the_package_version()
    {
        var (code, output, _) = Run("--version");
        Assert.That(code, Is.EqualTo(ExitCodes.Passed));
        string expected = typeof(CommandLine).Assembly.GetName().Version!.ToString(3);
        Assert.That(output.Trim(), Does.StartWith(expected));
    }

    [TestCase(new[] { "chek" }, "check")]
    [TestCase(new[] { "check", "--fixture", "x" }, "--fixtures")]
    [TestCase(new[] { "report", "--bundeld", "seed" }, "--bundled")]
    public void A_mistyped_name_gets_a_suggestion_and_a_short_error(string[] args, string suggestion)
    {
        var (code, output, errors) = Run(args);
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain("Did you mean").And.Contain(suggestion));
        Assert.That(errors.Split('\n'), Has.Length.LessThan(10), "a short error, not the whole usage");
        Assert.That(errors, Does.Not.Contain("Options:"));
        Assert.That(output, Is.Empty);
    }

    [Test]
    public void Options_take_their_value_after_an_equals_sign()
    {
        string seed = Path.Combine(Repository.Fixtures, "seed");
        var (code, output, errors) = Run("check", $"--fixtures={seed}", "--engine=cpu-reference");
        Assert.That(code, Is.EqualTo(ExitCodes.Passed), errors);
        Assert.That(output.TrimEnd().Split('\n')[^1], Is.EqualTo("5 passed, 0 failed, 0 unsupported"));
    }

    [Test]
    public void A_bundled_suite_is_checked_by_name()
    {
        Assert.That(BundledSuites.Names, Is.SupersetOf(new[] { "numpy", "scipy", "seed", "theano" }));
        var (code, output, errors) = Run("check", "--bundled", "seed", "--engine", "cpu-reference");
        Assert.That(code, Is.EqualTo(ExitCodes.Passed), errors);
        Assert.That(output, Does.Contain($"suite seed ({BundledSuites.Root}"));
        Assert.That(output.TrimEnd().Split('\n')[^1], Is.EqualTo("5 passed, 0 failed, 0 unsupported"));
    }

    [TestCase("nope", "no bundled suite has this name (bundled: numpy, ")]
    [TestCase("../seed", "not a bundled suite name")]
    [TestCase(".", "not a bundled suite name")]
    public void A_bad_bundled_name_exits_2_naming_it(string name, string reason)
    {
        var (code, _, errors) = Run("check", "--bundled", name);
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain($"--bundled {name}: {reason}"));
    }

    [Test]
    public void Bundled_cases_are_the_committed_suite()
    {
        var bundled = ParityCases.Bundled("theano").Select(c => ((ParityCase)c.Arguments[0]!).Id).ToList();
        // The committed cases with an answer: the 20 refusals give an engine nothing to compute (ParityCases leaves
        // them out).
        var committed = FixtureSuite
            .Load(Path.Combine(Repository.Fixtures, "theano"))
            .Cases.Where(c => c.Raises is null)
            .Select(c => c.Id)
            .ToList();
        Assert.That(bundled, Is.EqualTo(committed).And.Not.Empty);
        var error = Assert.Throws<ArgumentException>(() => ParityCases.Bundled("tensorflow"));
        Assert.That(error!.Message, Does.Contain("bundled suite 'tensorflow'").And.Contain("theano"));
    }
}
