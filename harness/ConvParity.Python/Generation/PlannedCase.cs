using System.Text.Json.Nodes;
using ConvParity.Fixtures;

namespace ConvParity.Python.Generation;

/// <summary>A case to write: answered by the library (<see cref="Draw"/>), or kept from a stored suite (<see
/// cref="KeepFrom"/>).</summary>
/// <param name="Id">The case id.</param>
/// <param name="File">The .npz file name.</param>
/// <param name="Call">The library call.</param>
/// <param name="ArgNames">The arrays' names.</param>
/// <param name="Kwargs">The kwargs.</param>
/// <param name="Note">The manifest note.</param>
/// <param name="Draw">The call on its arrays (drawn only when the case is answered).</param>
internal sealed record PlannedCase(
    string Id,
    string File,
    string Call,
    IReadOnlyList<string> ArgNames,
    JsonObject Kwargs,
    string Note,
    Func<LibraryCall> Draw
)
{
    /// <summary>The stored .npz copied byte for byte instead of answering; null to answer.</summary>
    public string? KeepFrom { get; init; }

    /// <summary>The answer known already (an imported suite's: the ONNX authors' output), saved with the call's
    /// arrays instead of answering; null to answer.</summary>
    public ConvParity.Tensors.Tensor? Known { get; init; }

    /// <summary>The stored refusal of a kept case, or null when it has an answer.</summary>
    public FixtureRaises? KeptRaises { get; init; }
}
