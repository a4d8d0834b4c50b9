namespace ConvParity.Python.Generation;

/// <summary>A case spec that cannot be used; the message names the file, the entry (index and name) and the
/// key.</summary>
/// <param name="message">The file, the entry (index and name), the key and what is wrong.</param>
public sealed class CaseSpecException(string message) : Exception(message);
