using ConvParity.Fixtures;
using NUnit.Framework;

namespace ConvParity.Testing;

/// <summary>
/// Test case sources over fixture suites, for NUnit's TestCaseSource: the suites bundled by the
/// ConvParity.References package by name, or any folder in the convparity.fixtures/1 format.
/// <code>
/// [TestCaseSource(typeof(ParityCases), nameof(ParityCases.Bundled), new object[] { "theano" })]
/// public void My_convolution_matches(ParityCase c) => ParityAssert.Matches(new MyEngine(), c);
/// </code>
/// A case whose call is not supported is ignored with the reason (skipped, never passed); a case that
/// cannot be read fails with the reason. A call the library refused ("raises") gives an engine nothing to
/// compute: where the convention refuses it too it is left out (<c>convparity check</c> judges that
/// agreement), and where the convention plans it the test fails.
/// </summary>
public static class ParityCases
{
    /// <summary>
    /// Every case of the bundled suite called <paramref name="name"/> (numpy, scipy, theano, seed), which the
    /// ConvParity.References package copies beside the test assembly: no path needed.
    /// </summary>
    /// <exception cref="ArgumentException">No bundled suite has that name (the message lists those there are).</exception>
    public static IEnumerable<TestCaseData> Bundled(string name)
    {
        string folder;
        try { folder = BundledSuites.Folder(name); }
        catch (FixtureException e)
        {
            throw new ArgumentException($"bundled suite '{name}': {e.Reason}", nameof(name), e);
        }
        return InFolder(folder);
    }

    /// <summary>Every case of the suite in <paramref name="folder"/> (absolute, relative to the working folder, or to a folder above the test assembly).</summary>
    /// <exception cref="ArgumentException">No such suite folder, or its manifest cannot be read.</exception>
    public static IEnumerable<TestCaseData> InFolder(string folder)
    {
        foreach (var parityCase in Load(folder))
        {
            if (parityCase.Refused is not null) continue;
            var data = new TestCaseData(parityCase).SetName($"{parityCase.Suite}: {parityCase.Id}");
            if (parityCase.Unsupported is { } reason) data.Ignore($"unsupported: {reason}");
            yield return data;
        }
    }

    /// <summary>Every case of every suite in <paramref name="folders"/>.</summary>
    public static IEnumerable<TestCaseData> InFolders(params string[] folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        return folders.SelectMany(InFolder);
    }

    /// <summary>The cases of the suite in <paramref name="folder"/>, read and planned.</summary>
    /// <exception cref="ArgumentException">No such suite folder, or its manifest cannot be read.</exception>
    public static IEnumerable<ParityCase> Load(string folder)
    {
        FixtureSuite suite;
        try { suite = FixtureSuite.Load(Resolve(folder)); }
        catch (FixtureException e) { throw new ArgumentException($"fixture suite '{folder}': {e.Message}", nameof(folder), e); }
        return suite.Cases.Select(c => new ParityCase(suite, FixtureCheck.Prepare(suite, c)));
    }

    /// <summary>The folder as given if it exists, else the first folder of that relative path above the test assembly.</summary>
    private static string Resolve(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (Directory.Exists(folder) || Path.IsPathRooted(folder)) return folder;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, folder);
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new ArgumentException($"fixture suite folder '{folder}' not found in {Directory.GetCurrentDirectory()} nor above {AppContext.BaseDirectory}", nameof(folder));
    }
}
