using System.Text.Json.Nodes;

namespace ConvParity.Fixtures;

/// <summary>One case of a suite: what the library was asked and the name of its answer.</summary>
/// <param name="Id">Unique within the suite, stable across regenerations.</param>
/// <param name="File">The .npz holding the case's arrays, relative to the suite folder.</param>
/// <param name="Call">The fully qualified library function.</param>
/// <param name="Args">Names of the positional array arguments in the .npz.</param>
/// <param name="Kwargs">Every other argument, in the library's vocabulary.</param>
/// <param name="Expected">Name of the array holding the library's answer; null when the library refused the
/// call.</param>
/// <param name="Note">Free text.</param>
/// <param name="Raises">What the library raised instead of answering; null when it answered.</param>
public sealed record FixtureCase(
    string Id,
    string File,
    string Call,
    IReadOnlyList<string> Args,
    JsonObject Kwargs,
    string? Expected,
    string? Note,
    FixtureRaises? Raises = null
);
