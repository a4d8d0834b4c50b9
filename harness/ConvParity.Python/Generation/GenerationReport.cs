namespace ConvParity.Python.Generation;

/// <summary>What a generator run wrote.</summary>
/// <param name="Directory">The suite folder.</param>
/// <param name="Cases">Cases written (answered and refused).</param>
/// <param name="Unavailable">Calls left out because they cannot be answered here (reported by name, never
/// written).</param>
/// <param name="Refused">The cases the library refused, written with "raises" in place of "expected".</param>
public sealed record GenerationReport(
    string Directory,
    int Cases,
    IReadOnlyList<UnavailableCall> Unavailable,
    IReadOnlyList<RefusedCase> Refused
)
{
    /// <summary>Sources looked at and not written, each named with the reason (an imported suite's files that hold
    /// something else).</summary>
    public IReadOnlyList<SkippedSource> Skipped { get; init; } = [];
}
