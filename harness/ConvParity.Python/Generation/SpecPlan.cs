namespace ConvParity.Python.Generation;

/// <summary>How a stored suite compares with a spec: the cases to keep byte for byte, to add, and to remove.</summary>
/// <param name="Kept">Spec cases whose stored case is unchanged (same id, file, call, arrays and kwargs, and its file
/// is there).</param>
/// <param name="Missing">Spec cases with no unchanged stored case: to be answered.</param>
/// <param name="Removed">Ids of stored cases the spec no longer has.</param>
public sealed record SpecPlan(
    IReadOnlyList<SpecCase> Kept,
    IReadOnlyList<SpecCase> Missing,
    IReadOnlyList<string> Removed
);
