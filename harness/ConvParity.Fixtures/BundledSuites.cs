namespace ConvParity.Fixtures;

/// <summary>
/// The reference suites that the ConvParity.References package copies into an application's folder
/// (<c>convparity-fixtures/&lt;name&gt;/</c> beside the program or test assembly), found by name with no path.
/// </summary>
public static class BundledSuites
{
    /// <summary>The folder, beside the program, that holds the bundled suites.</summary>
    public const string FolderName = "convparity-fixtures";

    /// <summary>Where the bundled suites are looked for: <see cref="FolderName"/> under the program's base
    /// folder.</summary>
    public static string Root => Path.Combine(AppContext.BaseDirectory, FolderName);

    /// <summary>The bundled suites present (folders with a manifest.json), in ordinal order; empty without the
    /// package.</summary>
    public static IReadOnlyList<string> Names =>
        Directory.Exists(Root)
            ?
            [
                .. Directory
                    .EnumerateDirectories(Root)
                    .Where(d => File.Exists(Path.Combine(d, "manifest.json")))
                    .Select(d => Path.GetFileName(d))
                    .Order(StringComparer.Ordinal),
            ]
            : [];

    /// <summary>The folder of the bundled suite called <paramref name="name"/> (numpy, scipy, theano,
    /// seed...).</summary>
    /// <exception cref="FixtureException">
    /// <paramref name="name"/> is not a plain suite name, or no bundled suite has it; the message lists the names
    /// there are, or says that the ConvParity.References package is missing.
    /// </exception>
    public static string Folder(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (
            name.Length == 0
            || name[0] == '.'
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
        )
        {
            throw new FixtureException(
                name,
                "not a bundled suite name (letters, digits, '-', '_' and '.', not starting with '.')"
            );
        }
        var names = Names;
        if (names.Contains(name, StringComparer.Ordinal))
            return Path.Combine(Root, name);
        throw new FixtureException(
            name,
            names.Count == 0
                ? $"no bundled suites in {Root}: add the ConvParity.References package to the project"
                : $"no bundled suite has this name (bundled: {string.Join(", ", names)})"
        );
    }
}
