using ConvParity.Fixtures;

namespace ConvParity.Python.Generation;

/// <summary>A case of the catalogue the library refused: written as a "raises" case.</summary>
/// <param name="Id">The case id.</param>
/// <param name="Raises">What the library raised.</param>
public sealed record RefusedCase(string Id, FixtureRaises Raises);
