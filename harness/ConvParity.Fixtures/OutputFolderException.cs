namespace ConvParity.Fixtures;

/// <summary>An output folder that cannot be claimed or put in place; the message names it and says why.</summary>
/// <param name="message">The folder and why it cannot be claimed or put in place.</param>
/// <param name="inner">The error that caused it, if any.</param>
public sealed class OutputFolderException(string message, Exception? inner = null) : Exception(message, inner);
