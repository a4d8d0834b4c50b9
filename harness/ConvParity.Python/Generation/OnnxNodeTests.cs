using ConvParity.Conventions;
using ConvParity.Fixtures;

namespace ConvParity.Python.Generation;

/// <summary>
/// The onnx suite: the ONNX authors' node tests for Conv and ConvTranspose (libonnx-testdata's test_conv*,
/// test_convtranspose* and test_basic_conv* folders: model.onnx and test_data_set_N/*.pb), imported as they are.
/// Each case's call is onnx.Conv or onnx.ConvTranspose, its args the node's input names, its kwargs exactly the node's
/// attributes, its expected exactly the authors' output_0.pb. There is no live ONNX function: the authors' outputs
/// are the reference. The files are untrusted: each is resolved through its links and must lie inside the source
/// folder, at most the case cap in size; a folder holding anything but one Conv or ConvTranspose node on float32
/// tensors is skipped by name with the reason.
/// </summary>
public static class OnnxNodeTests
{
    /// <summary>The suite's name (<c>convparity generate --suite onnx</c>).</summary>
    public const string Suite = "onnx";

    /// <summary>Where Debian's libonnx-testdata puts the node tests.</summary>
    public const string DefaultSource = "/usr/share/libonnx-testdata/data/node";

    /// <summary>The folder names imported: every node test whose name says it is a convolution.</summary>
    public static IReadOnlyList<string> Prefixes { get; } = ["test_conv", "test_basic_conv"];

    /// <summary>
    /// Reads every node test of <paramref name="source"/> whose folder name starts with one of <see cref="Prefixes"/>,
    /// in ordinal order of names: the cases to write, and the folders skipped with the reason.
    /// </summary>
    /// <exception cref="GenerationException">The source folder does not exist, or the onnx package is missing.
    /// </exception>
    public static (IReadOnlyList<OnnxNodeCase> Cases, IReadOnlyList<SkippedSource> Skipped) Read(
        LiveReference live,
        string source,
        long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes
    )
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(source);
        if (!Directory.Exists(source))
            throw new GenerationException(
                $"the ONNX node tests are not at {source}: install them with `sudo apt-get install libonnx-testdata` "
                    + "or name their folder with --from DIR"
            );
        if (live.OnnxProblem() is { } problem)
            throw new GenerationException($"the onnx suite cannot be imported: {problem}");
        string root = RealPath.Resolve(source);
        var cases = new List<OnnxNodeCase>();
        var skipped = new List<SkippedSource>();
        var tests = Directory
            .EnumerateDirectories(root)
            .Select(Path.GetFileName)
            .Where(name => Prefixes.Any(p => name!.StartsWith(p, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
        foreach (string? name in tests)
        {
            try
            {
                cases.AddRange(ReadOne(live, root, name!, maxCaseBytes));
            }
            catch (Exception e) when (e is PythonCallException or IOException or UnauthorizedAccessException)
            {
                string reason = e is PythonCallException python
                    ? $"{python.PythonType}: {python.PythonMessage}"
                    : e.Message;
                skipped.Add(new SkippedSource(name!, reason));
            }
            catch (Exception e) when (e is SkipException or FixtureException)
            {
                skipped.Add(new SkippedSource(name!, e.Message));
            }
        }
        return (cases, skipped);
    }

    /// <summary>Imports the node tests of <paramref name="source"/> into a folder claimed with
    /// <see cref="SuiteWriter.Claim"/>, and commits it.</summary>
    /// <exception cref="GenerationException">No source, no onnx package, no case to write, or the folder cannot be put
    /// in place.</exception>
    /// <exception cref="PythonCallException">numpy could not write a file (the folder is left as it was).</exception>
    public static GenerationReport Write(
        LiveReference live,
        string source,
        OutputFolder folder,
        TextWriter progress,
        long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes
    )
    {
        ArgumentNullException.ThrowIfNull(progress);
        var (cases, skipped) = Read(live, source, maxCaseBytes);
        if (cases.Count == 0)
            throw new GenerationException(
                $"the onnx suite cannot be imported: no Conv or ConvTranspose test in {source}"
            );
        string version = cases[0].OnnxVersion;
        string named = string.Join(", ", skipped.Select(s => s.Name));
        var header = new SuiteHeader(
            Suite,
            "onnx-reference",
            ["numpy"],
            $"convparity generate --suite {Suite} --from {source} (docs/fixtures.md)",
            _ =>
                $"The ONNX authors' node tests for Conv and ConvTranspose (onnx {version}), read from {source} with "
                + "the onnx package and imported by `convparity generate --suite onnx`: the call is the node's "
                + "operator, the args its input names, the kwargs exactly its attributes, the expected array exactly "
                + "the authors' output_0.pb. Arrays saved with numpy.savez_compressed."
                + (
                    skipped.Count == 0
                        ? ""
                        : $" Skipped (not a Conv or ConvTranspose node on float32 tensors): {named}."
                )
        )
        {
            Provenance = new Dictionary<string, string>
            {
                ["onnx"] = version,
                ["reference"] = "the ONNX authors' node test outputs (output_0.pb)",
                ["onnx_node_tests"] = source,
            },
        };
        var planned = cases
            .Select(
                (c, i) =>
                    new PlannedCase(
                        c.Id,
                        $"{i:D4}.npz",
                        c.Call.Call,
                        c.Call.ArgNames,
                        c.Call.Kwargs,
                        $"the ONNX authors' node test {c.Test} (opset {c.Opset}); values as they wrote them",
                        () => c.Call
                    )
                    {
                        Known = c.Expected,
                    }
            )
            .ToList();
        return SuiteWriter.Write(live, header, planned, folder, progress) with { Skipped = skipped };
    }

    private static IEnumerable<OnnxNodeCase> ReadOne(LiveReference live, string root, string name, long maxCaseBytes)
    {
        string folder = Path.Combine(root, name);
        string model = Inside(root, Path.Combine(folder, "model.onnx"), maxCaseBytes);
        var setFolders = Directory
            .EnumerateDirectories(folder, "test_data_set_*")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (setFolders.Count == 0)
            throw new SkipException("it has no test_data_set_N folder");
        var sets = setFolders
            .Select(set =>
                (IReadOnlyList<string>)
                    [
                        .. Directory
                            .EnumerateFiles(set, "*.pb")
                            .Order(StringComparer.Ordinal)
                            .Select(f => Inside(root, f, maxCaseBytes)),
                    ]
            )
            .ToList();
        var test = live.ReadOnnxNodeTest(model, sets, maxCaseBytes / CaseLimits.BytesPerElement);
        string call = "onnx." + test.Operator;
        if (ConventionRegistry.Refusal(call, test.Inputs.Count) is { } refusal)
            throw new SkipException(refusal);
        var names = test.Inputs;
        if (names.Any(n => n == "expected" || !IsArrayName(n)) || names.Distinct().Count() != names.Count)
            throw new SkipException(
                $"input names [{string.Join(", ", names)}] are not distinct identifiers other than 'expected'"
            );
        return test.DataSets.Select(
            (set, i) =>
                new OnnxNodeCase(
                    test.DataSets.Count == 1 ? $"{call}/{name}" : $"{call}/{name}/set{i}",
                    name,
                    test.Opset,
                    test.OnnxVersion,
                    new LibraryCall(call, names, set.Inputs, test.Attributes.DeepClone().AsObject()),
                    set.Output
                )
        );
    }

    /// <summary>The file resolved through its links; refused unless it lies inside the source and is at most the
    /// cap.</summary>
    private static string Inside(string root, string path, long maxBytes)
    {
        string resolved = RealPath.Resolve(path);
        if (!RealPath.IsAtOrInside(resolved, root))
            throw new SkipException($"{Path.GetFileName(path)} leads outside {root} (to {resolved})");
        var info = new FileInfo(resolved);
        if (!info.Exists)
            throw new SkipException($"{Path.GetRelativePath(root, path)} is missing or not a file");
        if (info.Length > maxBytes)
            throw new SkipException(
                $"{Path.GetRelativePath(root, path)} holds {info.Length} bytes, more than the case cap ({maxBytes})"
            );
        return resolved;
    }

    private static bool IsArrayName(string name) =>
        name.Length is > 0 and <= 64
        && (char.IsAsciiLetter(name[0]) || name[0] == '_')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    /// <summary>A node test that is not imported, with the reason.</summary>
    private sealed class SkipException(string message) : Exception(message);
}
