using System.Diagnostics;
using System.Text.Json;
using Python.Runtime;

namespace ConvParity.Python;

/// <summary>
/// The embedded CPython of this process, found and started once. The interpreter is
/// CONVPARITY_PYTHON (a path), else Debian's /usr/bin/python3; libpython is PYTHONNET_PYDLL when set,
/// else the one that interpreter was built with (sysconfig LIBDIR + INSTSONAME), and the interpreter
/// is also Python's program name, so the two never mix. After start-up the GIL is released; every
/// call into Python takes it with <see cref="Run{T}"/>. Python is never shut down or started again
/// (numpy cannot be re-initialised): a failed start is remembered and reported the same way each time.
/// </summary>
public sealed class PythonRuntime
{
    /// <summary>The environment variable naming the interpreter to use.</summary>
    public const string InterpreterVariable = "CONVPARITY_PYTHON";

    /// <summary>pythonnet's environment variable naming libpython.</summary>
    public const string LibraryVariable = "PYTHONNET_PYDLL";

    /// <summary>The interpreter used when neither variable is set: Debian's, which has apt's numpy and scipy.</summary>
    public const string DefaultInterpreter = "/usr/bin/python3";

    private static readonly Lazy<PythonRuntime> Shared = new(StartOnce, LazyThreadSafetyMode.ExecutionAndPublication);

    private PythonRuntime(string? interpreter, string library, string version, TimeSpan startup)
    {
        Interpreter = interpreter;
        Library = library;
        Version = version;
        Startup = startup;
    }

    /// <summary>The interpreter whose libpython is embedded; null when only PYTHONNET_PYDLL was given.</summary>
    public string? Interpreter { get; }

    /// <summary>The libpython loaded into this process.</summary>
    public string Library { get; }

    /// <summary>The Python version, for example "3.11.2".</summary>
    public string Version { get; }

    /// <summary>How long finding and starting Python (and importing numpy) took.</summary>
    public TimeSpan Startup { get; }

    /// <summary>Finds and starts Python the first time; afterwards returns the same runtime (or throws the same
    /// exception).</summary>
    /// <exception cref="PythonUnavailableException">Python, libpython or numpy is missing or broken; the message says
    /// what and how to install it.</exception>
    public static PythonRuntime Start() => Shared.Value;

    /// <summary>One line naming the interpreter and library, for reports.</summary>
    public override string ToString() => $"Python {Version} ({Interpreter ?? "program name not set"}, {Library})";

    /// <summary>
    /// Runs <paramref name="body"/> holding the GIL. A Python exception escaping it becomes a
    /// <see cref="PythonCallException"/> naming <paramref name="what"/>, with Python's type, message and traceback.
    /// </summary>
    public T Run<T>(string what, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using (Py.GIL())
        {
            try
            {
                return body();
            }
            catch (PythonException e)
            {
                throw Translate(what, e);
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> holding the GIL (see <see cref="Run{T}"/>).</summary>
    public void Run(string what, Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Run(
            what,
            () =>
            {
                body();
                return 0;
            }
        );
    }

    /// <summary>The .NET exception for a Python one; call with the GIL held.</summary>
    internal static PythonCallException Translate(string what, PythonException e)
    {
        string type = e.Type.Name;
        string message = e.Value?.ToString() ?? e.Message;
        string traceback;
        try
        {
            traceback = e.Format();
        }
        catch (PythonException)
        {
            traceback = e.StackTrace ?? "";
        }
        return new PythonCallException(what, type, message, traceback);
    }

    private static PythonRuntime StartOnce()
    {
        var clock = Stopwatch.StartNew();
        var (interpreter, library, version) = Locate();
        try
        {
            Runtime.PythonDLL = library;
            if (interpreter is not null)
                PythonEngine.ProgramName = interpreter;
            PythonEngine.Initialize();
            // Without this the starting thread keeps the GIL: other threads would wait forever.
            PythonEngine.BeginAllowThreads();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new PythonUnavailableException(
                "Python could not be started from "
                    + $"{library}{(interpreter is null ? "" : $" (interpreter {interpreter})")}: "
                    + $"{e.GetType().Name}: {e.Message}. "
                    + $"{InstallHint(version)}",
                e
            );
        }

        var runtime = new PythonRuntime(interpreter, library, version, TimeSpan.Zero);
        string? numpyProblem = runtime.Run(
            "import numpy",
            () =>
            {
                try
                {
                    Py.Import("numpy");
                    return null;
                }
                catch (PythonException e)
                {
                    return $"{e.Type.Name}: {e.Value}";
                }
            }
        );
        if (numpyProblem is not null)
            throw new PythonUnavailableException(
                $"numpy cannot be imported in the embedded Python {version} ({interpreter ?? library}): "
                    + $"{numpyProblem}. {InstallHint(version)}"
            );
        return new PythonRuntime(interpreter, library, version, clock.Elapsed);
    }

    /// <summary>The interpreter, libpython and version to use, checked before anything is loaded into this
    /// process.</summary>
    private static (string? Interpreter, string Library, string Version) Locate()
    {
        string? chosen = Environment.GetEnvironmentVariable(InterpreterVariable);
        string? pydll = Environment.GetEnvironmentVariable(LibraryVariable);
        if (string.IsNullOrEmpty(chosen) && !string.IsNullOrEmpty(pydll))
        {
            // Only the library is named: Python then finds its standard library from the prefix it was built with.
            if (!File.Exists(pydll))
                throw new PythonUnavailableException(
                    $"{LibraryVariable}={pydll}: no such file. Point it at a libpython shared library, "
                        + $"or unset it to use {DefaultInterpreter}. {InstallHint(null)}"
                );
            return (null, pydll, "(version of " + Path.GetFileName(pydll) + ")");
        }

        string interpreter = string.IsNullOrEmpty(chosen) ? DefaultInterpreter : chosen;
        string source = string.IsNullOrEmpty(chosen) ? "the default interpreter" : $"{InterpreterVariable}={chosen}";
        if (!File.Exists(interpreter))
            throw new PythonUnavailableException(
                $"Python is not available: {source}: {interpreter} does not exist. "
                    + "ConvParity's live references embed a Python 3 interpreter "
                    + "with numpy and scipy, through its libpython. "
                    + $"{InstallHint(null)} Then leave {InterpreterVariable} unset to use {DefaultInterpreter}, "
                    + "or point it at an interpreter that has them."
            );

        var probe = Probe(interpreter, source);
        string library = !string.IsNullOrEmpty(pydll) ? pydll : probe.Library;
        if (!File.Exists(library))
        {
            string why = probe.Library.EndsWith(".a", StringComparison.Ordinal)
                ? $"it was built without a shared libpython ({probe.Library}), so it cannot be embedded"
                : $"its libpython {library} is missing";
            throw new PythonUnavailableException(
                $"Python {probe.Version} at {interpreter} ({source}) cannot be embedded: "
                    + $"{why}. {InstallHint(probe.Version)}"
            );
        }
        if (probe.NumpyProblem is not null)
            throw new PythonUnavailableException(
                $"numpy is not available for Python {probe.Version} at {interpreter} ({source}): "
                    + $"{probe.NumpyProblem}. {InstallHint(probe.Version)}"
                    + (
                        interpreter == DefaultInterpreter
                            ? ""
                            : $" apt's packages serve {DefaultInterpreter}: unset {InterpreterVariable} to use it."
                    )
            );
        return (interpreter, library, probe.Version);
    }

    private sealed record ProbeResult(string Version, string Library, string? NumpyProblem);

    /// <summary>Asks the interpreter, in a child process, for its version, its libpython and whether numpy
    /// imports.</summary>
    private static ProbeResult Probe(string interpreter, string source)
    {
        const string script = """
            import json, sys, sysconfig, os
            v = sysconfig.get_config_var
            info = {"version": "%d.%d.%d" % sys.version_info[:3],
                    "library": os.path.join(v("LIBDIR") or "", v("INSTSONAME") or v("LDLIBRARY") or "")}
            try:
                import numpy
                info["numpy"] = None
            except Exception as e:
                info["numpy"] = "%s: %s" % (type(e).__name__, e)
            print(json.dumps(info))
            """;
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        string output,
            errors;
        int exitCode;
        try
        {
            using var process =
                Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
            var stderr = process.StandardError.ReadToEndAsync();
            output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new InvalidOperationException("it did not answer within 60 s");
            }
            errors = stderr.Result;
            exitCode = process.ExitCode;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new PythonUnavailableException(
                $"Python is not available: {source}: {interpreter} could not be run ({e.Message}). {InstallHint(null)}",
                e
            );
        }
        if (exitCode != 0)
            throw new PythonUnavailableException(
                $"Python is not available: {source}: {interpreter} failed (exit {exitCode}): "
                    + $"{errors.Trim()}. {InstallHint(null)}"
            );
        try
        {
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            var numpy = root.GetProperty("numpy");
            return new ProbeResult(
                root.GetProperty("version").GetString()!,
                root.GetProperty("library").GetString()!,
                numpy.ValueKind == JsonValueKind.Null ? null : numpy.GetString()
            );
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new PythonUnavailableException(
                $"Python is not available: {source}: {interpreter} is not a Python 3 interpreter "
                    + $"(it printed '{output.Trim()}'). {InstallHint(null)}",
                e
            );
        }
    }

    /// <summary>The apt command that installs what the live references need, for the interpreter's version when
    /// known.</summary>
    private static string InstallHint(string? version)
    {
        string minor =
            version is not null && System.Version.TryParse(version, out var v) ? $"{v.Major}.{v.Minor}" : "3.11";
        return "On Debian install them with: sudo apt-get install python3-numpy python3-scipy "
            + $"libpython{minor} (scripts/setup does this).";
    }
}
