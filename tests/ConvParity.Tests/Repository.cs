using ConvParity.Engines;

namespace ConvParity.Tests;

/// <summary>Paths in the repository and the engines every parity test covers.</summary>
public static class Repository
{
    /// <summary>The folder holding ConvParity.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>fixtures/ at the root.</summary>
    public static string Fixtures => Path.Combine(Root, "fixtures");

    /// <summary>Every suite folder under fixtures/.</summary>
    public static IEnumerable<string> SuiteFolders =>
        Directory.EnumerateDirectories(Fixtures).Where(d => File.Exists(Path.Combine(d, "manifest.json"))).Order(StringComparer.Ordinal);

    /// <summary>Every engine, as the command line offers them.</summary>
    public static EngineCatalog Engines => Cli.CommandLine.Engines();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ConvParity.sln"))) return dir.FullName;
        throw new InvalidOperationException($"ConvParity.sln not found above {AppContext.BaseDirectory}");
    }
}
