using System.Text.RegularExpressions;

namespace ConvParity.Tests;

/// <summary>
/// One type per file, named after it, in every project under harness/. Namespaces are file-scoped (IDE0161 is
/// enforced in the build), so a top-level type is a declaration that starts at column 0. No line of any C# file
/// is longer than CSharpier's print width (CSharpier wraps code but not string literals or comments).
/// </summary>
public sealed partial class SourceLayoutTests
{
    /// <summary>
    /// Files allowed to hold more than one top-level type, with the exact types they hold and the reason. A new
    /// type added to such a file still fails the test.
    /// </summary>
    private static readonly Dictionary<string, (string[] Types, string Reason)> Allowed = new()
    {
        ["harness/ConvParity.Cpu/Simd.cs"] = (
            ["ISimd", "Simd512", "Simd256", "Simd128", "SimdWidth"],
            "the SIMD structs wrap the same intrinsics at each vector width and are read side by side"
        ),
    };

    [GeneratedRegex(
        @"^(?<mods>(?:(?:public|internal|file|static|sealed|abstract|readonly|partial|unsafe|ref)\s+)*)"
            + @"(?:record\s+struct|record\s+class|record|class|struct|enum|interface)\s+"
            + @"(?<name>[A-Za-z_][A-Za-z0-9_]*)",
        RegexOptions.Multiline
    )]
    private static partial Regex TopLevelDeclaration();

    /// <summary>The public and internal types declared at the top level of a C# source text, in order.</summary>
    internal static IReadOnlyList<string> TopLevelTypes(string source) =>
        TopLevelDeclaration()
            .Matches(source)
            .Where(m => !Regex.IsMatch(m.Groups["mods"].Value, @"\bfile\b"))
            .Select(m => m.Groups["name"].Value)
            .ToList();

    /// <summary>The longest line a C# file may have: CSharpier's printWidth in .csharpierrc.yaml.</summary>
    private const int MaxLineLength = 120;

    /// <summary>The folders at the root that hold the project's C# files.</summary>
    private static readonly string[] SourceFolders = ["harness", "tests", "samples"];

    /// <summary>Every .cs file under harness/ outside build output, as a path relative to the root.</summary>
    private static IEnumerable<string> HarnessSources() => Sources("harness");

    /// <summary>Every .cs file under the given root folders outside build output, relative to the root.</summary>
    private static IEnumerable<string> Sources(params string[] folders)
    {
        foreach (string folder in folders)
        foreach (
            string path in Directory.EnumerateFiles(
                Path.Combine(Repository.Root, folder),
                "*.cs",
                SearchOption.AllDirectories
            )
        )
        {
            string relative = Path.GetRelativePath(Repository.Root, path).Replace('\\', '/');
            string[] parts = relative.Split('/');
            if (parts.Contains("bin") || parts.Contains("obj"))
                continue;
            yield return relative;
        }
    }

    /// <summary>The files that break the rule, each with what it holds.</summary>
    private static List<string> Offenders()
    {
        var offenders = new List<string>();
        foreach (string relative in HarnessSources().Order(StringComparer.Ordinal))
        {
            var types = TopLevelTypes(File.ReadAllText(Path.Combine(Repository.Root, relative)));
            if (Allowed.TryGetValue(relative, out var allowed))
            {
                if (!types.SequenceEqual(allowed.Types))
                    offenders.Add(
                        $"{relative}: holds [{string.Join(", ", types)}], allowed only "
                            + $"[{string.Join(", ", allowed.Types)}] ({allowed.Reason})"
                    );
                continue;
            }
            string expected = Path.GetFileNameWithoutExtension(relative);
            if (types.Count > 1)
                offenders.Add($"{relative}: holds {types.Count} top-level types [{string.Join(", ", types)}]");
            else if (types.Count == 1 && types[0] != expected)
                offenders.Add($"{relative}: holds {types[0]}, but is named {expected}");
        }
        return offenders;
    }

    /// <summary>Every file under harness/ holds at most one top-level type, and is named after it.</summary>
    [Test]
    public void EachHarnessFileHoldsOneTypeNamedAfterIt()
    {
        var offenders = Offenders();
        Assert.That(offenders, Is.Empty, string.Join(Environment.NewLine, offenders));
    }

    /// <summary>The scan sees the harness's types at all (a scan that found nothing would pass vacuously).</summary>
    [Test]
    public void TheScanFindsTheHarnessTypes()
    {
        var found = HarnessSources()
            .SelectMany(r => TopLevelTypes(File.ReadAllText(Path.Combine(Repository.Root, r))))
            .ToHashSet(StringComparer.Ordinal);
        Assert.That(
            found,
            Is.SupersetOf(new[] { "ConvProblem", "ExitCodes", "FixtureCase", "ElementVerdict", "ISimd" })
        );
    }

    /// <summary>The parser tells a second top-level type from a nested one, and skips file-local types.</summary>
    [Test]
    public void TheParserCountsOnlyTopLevelTypes()
    {
        const string Source = """
            namespace Sample;

            /// <summary>First.</summary>
            public sealed class First
            {
                private sealed class Nested { }
            }

            internal sealed record Second(int Value);

            file static class Local { }

            enum Third { A }
            """;
        Assert.That(TopLevelTypes(Source), Is.EqualTo(new[] { "First", "Second", "Third" }));
    }

    /// <summary>No line of a C# file under harness/, tests/ or samples/ is longer than 120 characters.</summary>
    [Test]
    public void NoSourceLineIsLongerThanThePrintWidth()
    {
        var files = Sources(SourceFolders).Order(StringComparer.Ordinal).ToList();
        var offenders = new List<string>();
        foreach (string relative in files)
        {
            string[] lines = File.ReadAllLines(Path.Combine(Repository.Root, relative));
            for (int i = 0; i < lines.Length; i++)
                if (lines[i].Length > MaxLineLength)
                    offenders.Add($"{relative}:{i + 1}: {lines[i].Length} characters");
        }
        Assert.That(files, Has.Count.GreaterThan(100), "the scan found too few C# files to mean anything");
        Assert.That(
            offenders,
            Is.Empty,
            $"lines over {MaxLineLength} characters (split long string literals and comments by hand):"
                + Environment.NewLine
                + string.Join(Environment.NewLine, offenders)
        );
    }

    /// <summary>
    /// Every folder of the unit tests names a harness folder: tests/ConvParity.UnitTests/Core/Judging holds the tests
    /// of harness/ConvParity.Core/Judging, Cpu those of harness/ConvParity.Cpu; so a test is found where its subject
    /// is.
    /// </summary>
    [Test]
    public void UnitTestFoldersMirrorTheHarness()
    {
        string unitTests = Path.Combine(Repository.Root, "tests", "ConvParity.UnitTests");
        var folders = Directory
            .EnumerateFiles(unitTests, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(unitTests, Path.GetDirectoryName(f)!).Replace('\\', '/'))
            .Where(f => f != "." && !f.Split('/').Intersect(["bin", "obj"]).Any())
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
        var unmatched = folders
            .Where(f =>
            {
                string[] parts = f.Split('/');
                string harness = Path.Combine([Repository.Root, "harness", "ConvParity." + parts[0], .. parts[1..]]);
                return !Directory.Exists(harness);
            })
            .ToList();
        Assert.That(folders, Does.Contain("Core/Judging").And.Contain("Cpu"), "the scan found the folders");
        Assert.That(unmatched, Is.Empty, "unit test folders with no harness folder of the same name");
    }

    /// <summary>The print width the test enforces is the one CSharpier formats to.</summary>
    [Test]
    public void TheLimitIsCSharpiersPrintWidth()
    {
        string config = File.ReadAllText(Path.Combine(Repository.Root, ".csharpierrc.yaml"));
        Assert.That(config, Does.Match($@"(?m)^printWidth:\s*{MaxLineLength}\s*$"));
    }
}
