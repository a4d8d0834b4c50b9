using ConvParity.Fixtures;

namespace ConvParity.Reporting;

/// <summary>
/// Where a report may go. The report replaces its folder whole, so the folder must be new, empty, or an
/// earlier report (recognised by the <see cref="MarkerName"/> file every report holds); any other folder
/// needs --force. Never the current folder or one above it, and never a folder that is, holds, or lies
/// inside an input suite, even with --force. Decided before the check runs.
/// </summary>
public static class ReportFolder
{
    /// <summary>The marker file every report folder holds.</summary>
    public const string MarkerName = ".convparity-report";

    /// <summary>What the marker says.</summary>
    public const string MarkerText =
        "This folder is a ConvParity report; `convparity report` replaces it whole on its next run.\n";

    /// <summary>The way out named when a folder may not be replaced.</summary>
    public const string ForceHint =
        "it is not a ConvParity report (no "
        + MarkerName
        + " file) and not empty; "
        + "pass --force to replace it, or choose another --out";

    /// <summary>Whether <paramref name="folder"/> may be replaced without --force: an earlier report, or an empty
    /// folder.</summary>
    public static bool IsReplaceable(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return Directory.Exists(folder)
            && (File.Exists(Path.Combine(folder, MarkerName)) || !Directory.EnumerateFileSystemEntries(folder).Any());
    }

    /// <summary>Null when a report may be written to <paramref name="folder"/>; else why not, in one line.</summary>
    /// <param name="folder">The --out folder.</param>
    /// <param name="inputSuites">The suite folders the report reads.</param>
    /// <param name="force">Whether --force was given (lets a non-report folder be replaced; nothing else).</param>
    public static string? Refusal(string folder, IEnumerable<string> inputSuites, bool force)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(inputSuites);
        string target;
        try
        {
            target = RealPath.Resolve(folder);
        }
        catch (Exception e) when (e is FixtureException or ArgumentException or IOException)
        {
            return $"--out {folder}: {e.Message}";
        }
        string here = RealPath.Resolve(Directory.GetCurrentDirectory());
        if (RealPath.IsAtOrInside(here, target))
            return $"--out {folder} is the current folder or one above it; "
                + "the report replaces its folder whole: choose a new folder";
        foreach (string suite in inputSuites)
        {
            string input = RealPath.Resolve(suite);
            if (RealPath.IsAtOrInside(target, input))
                return $"--out {folder} is or lies inside the input suite {suite}; "
                    + "the report replaces its folder whole: choose another --out";
            if (RealPath.IsAtOrInside(input, target))
                return $"--out {folder} holds the input suite {suite}; "
                    + "the report replaces its folder whole: choose another --out";
        }
        if (File.Exists(target) && !force)
            return $"--out {folder} is a file; pass --force to replace it, or choose another --out";
        if (Directory.Exists(target) && !force && !IsReplaceable(target))
            return $"--out {folder}: {ForceHint}";
        return null;
    }
}
