namespace ConvParity.Python.Generation;

/// <summary>A generator run that cannot go on as asked (the folder exists, the suite's library is missing); the message
/// says why.</summary>
public sealed class GenerationException(string message, Exception? inner = null) : Exception(message, inner);
