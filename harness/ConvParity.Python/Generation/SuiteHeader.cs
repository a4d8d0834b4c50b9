namespace ConvParity.Python.Generation;

/// <summary>What a suite's manifest says about itself.</summary>
/// <param name="Label">The name in progress lines and errors ("numpy", a spec's suite).</param>
/// <param name="Name">The manifest's "suite".</param>
/// <param name="Libraries">The libraries whose versions the environment records (all must be importable); null: numpy
/// and those of the
/// calls that are available.</param>
/// <param name="Generator">The command that wrote the suite, for the environment.</param>
/// <param name="Describe">The description, given the calls left out.</param>
internal sealed record SuiteHeader(
    string Label,
    string Name,
    IReadOnlyList<string>? Libraries,
    string Generator,
    Func<IReadOnlyList<UnavailableCall>, string> Describe
)
{
    /// <summary>The catalogue's seed, recorded in the environment; null for none.</summary>
    public int? Seed { get; init; }

    /// <summary>The inputs' dtype as the environment records it.</summary>
    public string InputDType { get; init; } = "float32";

    /// <summary>More entries for the environment (where an imported suite's answers come from); null for
    /// none.</summary>
    public IReadOnlyDictionary<string, string>? Provenance { get; init; }
}
