namespace ConvParity.Explaining;

/// <summary>A hypothesis and, for a neighbour, the change from the one it came from, in words.</summary>
/// <param name="Hypothesis">The convention.</param>
/// <param name="Change">What differs from the starting convention (null for a hypothesis found from the shapes
/// alone).</param>
public sealed record Candidate(Hypothesis Hypothesis, string? Change);
