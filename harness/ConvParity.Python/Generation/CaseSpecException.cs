namespace ConvParity.Python.Generation;

/// <summary>A case spec that cannot be used; the message names the file, the entry (index and name) and the
/// key.</summary>
public sealed class CaseSpecException(string message) : Exception(message);
