namespace ConvParity.Fixtures;

/// <summary>A suite, manifest or array file that cannot be read; names the file and the reason.</summary>
/// <param name="path">The file or folder at fault.</param>
/// <param name="reason">What is wrong with it.</param>
public sealed class FixtureException(string path, string reason) : Exception($"{path}: {reason}")
{
    /// <summary>The file or folder at fault.</summary>
    public string Path { get; } = path;

    /// <summary>What is wrong with it.</summary>
    public string Reason { get; } = reason;
}
