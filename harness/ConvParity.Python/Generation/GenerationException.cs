namespace ConvParity.Python.Generation;

/// <summary>A generator run that cannot go on as asked (the folder exists, the suite's library is missing); the message
/// says why.</summary>
/// <param name="message">Why the run cannot go on.</param>
/// <param name="inner">The error that caused it, if any.</param>
public sealed class GenerationException(string message, Exception? inner = null) : Exception(message, inner);
