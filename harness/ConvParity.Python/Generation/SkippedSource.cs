namespace ConvParity.Python.Generation;

/// <summary>A source an importer looked at and did not write, and why.</summary>
/// <param name="Name">The source's name (an ONNX node test's folder).</param>
/// <param name="Reason">What it holds instead, or why it cannot be read.</param>
public sealed record SkippedSource(string Name, string Reason);
