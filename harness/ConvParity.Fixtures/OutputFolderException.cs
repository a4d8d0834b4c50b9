namespace ConvParity.Fixtures;

/// <summary>An output folder that cannot be claimed or put in place; the message names it and says why.</summary>
public sealed class OutputFolderException(string message, Exception? inner = null) : Exception(message, inner);
