namespace ConvParity.Python.Generation;

/// <summary>One case of a generated suite: a stable id, its .npz name, the call on its arrays, and a note.</summary>
/// <param name="Id">Unique within the suite and stable across regenerations with the same seed.</param>
/// <param name="File">The .npz file name.</param>
/// <param name="Call">The call with its arrays.</param>
/// <param name="Note">Free text for the manifest.</param>
public sealed record GeneratedCase(string Id, string File, LibraryCall Call, string Note);
