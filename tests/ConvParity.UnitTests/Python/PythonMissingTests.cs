using System.Diagnostics;

namespace ConvParity.Tests.Live;

/// <summary>
/// Without Python the command line says, in one paragraph, what is missing and how to install it, and
/// exits 2. Run as a child process so that the test host never loads (or fails to load) Python itself.
/// </summary>
public sealed class PythonMissingTests
{
    private static (int ExitCode, string Output, string Errors) RunCli(
        IDictionary<string, string> environment,
        params string[] args
    )
    {
        string cli = Path.Combine(AppContext.BaseDirectory, "convparity.dll");
        Assert.That(File.Exists(cli), Is.True, $"{cli} is built beside the tests");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        foreach (string arg in args)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        Assert.That(process.WaitForExit(TimeSpan.FromMinutes(2)), Is.True, "the command line finished");
        return (process.ExitCode, output, errors.Result);
    }

    [Test]
    public void A_missing_interpreter_is_named_with_the_apt_command_and_nothing_is_written()
    {
        string target = Path.Combine(Path.GetTempPath(), $"convparity-missing-{Guid.NewGuid():N}");
        var (exitCode, output, errors) = RunCli(
            new Dictionary<string, string> { ["CONVPARITY_PYTHON"] = "/nonexistent/python3" },
            "generate",
            "--suite",
            "numpy",
            "--out",
            target
        );
        Assert.That(exitCode, Is.EqualTo(2), output + errors);
        Assert.That(
            errors,
            Does.Contain("CONVPARITY_PYTHON=/nonexistent/python3")
                .And.Contain("does not exist")
                .And.Contain("sudo apt-get install python3-numpy python3-scipy libpython3.11")
        );
        Assert.That(errors.Trim().Split('\n'), Has.Length.EqualTo(1), "one paragraph, no stack trace");
        Assert.That(Directory.Exists(target), Is.False);
    }

    [Test]
    public void A_missing_interpreter_stops_a_drift_check_the_same_way()
    {
        var (exitCode, _, errors) = RunCli(
            new Dictionary<string, string> { ["CONVPARITY_PYTHON"] = "/nonexistent/python3" },
            "generate",
            "--check",
            Path.Combine(Repository.Fixtures, "numpy")
        );
        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(errors, Does.Contain("Python is not available"));
    }
}
