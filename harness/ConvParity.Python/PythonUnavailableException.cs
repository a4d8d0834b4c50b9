namespace ConvParity.Python;

/// <summary>
/// Python cannot be used in this process: the interpreter, libpython or numpy is missing or broken.
/// The message is one paragraph a person can act on: what is missing, where it was looked for,
/// and the exact command that installs it.
/// </summary>
/// <param name="message">What is missing, where it was looked for, and the command that installs it.</param>
/// <param name="inner">The error that caused it, if any.</param>
public sealed class PythonUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
