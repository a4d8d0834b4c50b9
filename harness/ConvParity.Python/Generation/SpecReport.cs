namespace ConvParity.Python.Generation;

/// <summary>What <see cref="SpecSuite.Write"/> did.</summary>
/// <param name="Written">The suite as written (cases, calls left out, refusals among the new cases).</param>
/// <param name="Plan">Which cases were kept, added and removed.</param>
public sealed record SpecReport(GenerationReport Written, SpecPlan Plan);
