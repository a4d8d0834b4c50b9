using ConvParity.Cli;

namespace ConvParity.Tests;

/// <summary>`convparity check`: its report, its closing line and its exit codes.</summary>
public sealed class CheckCommandTests
{
    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1];

    [Test]
    public void All_passed_exits_0_with_the_count_line()
    {
        var (code, output, _) = CommandRunner.Run(
            "check",
            "--fixtures",
            Path.Combine(Repository.Fixtures, "seed"),
            "--engine",
            "cpu-reference"
        );
        Assert.That(code, Is.EqualTo(ExitCodes.Passed), output);
        Assert.That(LastLine(output), Is.EqualTo("5 passed, 0 failed, 0 unsupported"));
        Assert.That(output, Does.Contain("suite seed").And.Contain("cpu-reference"));
    }

    [Test]
    public void A_failure_exits_1_and_is_printed_with_its_case_and_engine()
    {
        using var suite = new TempSuite("seed");
        suite.EditCase("/0001", c => c["kwargs"]!["filter_flip"] = false);
        var (code, output, _) = CommandRunner.Run("check", "--fixtures", suite.Folder, "--engine", "cpu-reference");
        Assert.That(code, Is.EqualTo(ExitCodes.Failed), output);
        Assert.That(output, Does.Contain("FAILED seed/theano.conv2d/valid/flip/0001 [cpu-reference]"));
        Assert.That(LastLine(output), Does.StartWith("4 passed, 1 failed, 0 unsupported"));
    }

    [Test]
    public void Only_unsupported_cases_exit_3()
    {
        using var suite = new TempSuite("seed");
        suite.EditCase("/0001", c => c["call"] = "tensorflow.nn.conv2d");
        var (code, output, _) = CommandRunner.Run("check", "--fixtures", suite.Folder, "--engine", "cpu-reference");
        Assert.That(code, Is.EqualTo(ExitCodes.Unsupported), output);
        Assert.That(
            output,
            Does.Contain("UNSUPPORTED seed/theano.conv2d/valid/flip/0001").And.Contain("tensorflow.nn.conv2d")
        );
        Assert.That(LastLine(output), Is.EqualTo("4 passed, 0 failed, 1 unsupported"));
    }

    [Test]
    public void An_unreadable_suite_exits_2_naming_it()
    {
        var (code, _, errors) = CommandRunner.Run("check", "--fixtures", "/nonexistent/suite");
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain("/nonexistent/suite"));
    }

    [TestCase(new[] { "check" }, "--fixtures")]
    [TestCase(new[] { "check", "--fixtures", "x", "--engine", "warp-drive" }, "warp-drive")]
    [TestCase(new[] { "check", "--fixture", "x" }, "--fixture")]
    [TestCase(new[] { "frobnicate" }, "frobnicate")]
    public void Bad_arguments_exit_2_naming_the_problem(string[] args, string named)
    {
        var (code, _, errors) = CommandRunner.Run(args);
        Assert.That(code, Is.EqualTo(ExitCodes.BadArguments));
        Assert.That(errors, Does.Contain(named));
    }
}
