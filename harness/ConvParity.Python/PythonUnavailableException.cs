namespace ConvParity.Python;

/// <summary>
/// Python cannot be used in this process: the interpreter, libpython or numpy is missing or broken.
/// The message is one paragraph a person can act on: what is missing, where it was looked for,
/// and the exact command that installs it.
/// </summary>
public sealed class PythonUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A library call whose library (or the module holding it) cannot be imported here; it is not available, never passed.</summary>
public sealed class LibraryUnavailableException(string call, string reason) : Exception($"{call} is not available: {reason}")
{
    /// <summary>The library call.</summary>
    public string Call { get; } = call;

    /// <summary>Why it is not available (for example "scipy is not installed for /usr/bin/python3 ...").</summary>
    public string Reason { get; } = reason;
}

/// <summary>A Python exception raised by a library call, carried into .NET with its Python type, message and traceback.</summary>
public sealed class PythonCallException(string call, string pythonType, string pythonMessage, string traceback)
    : Exception($"{call} raised {pythonType}: {pythonMessage}")
{
    /// <summary>The library call (or the step of ConvParity's Python side) that raised.</summary>
    public string Call { get; } = call;

    /// <summary>The Python exception type, for example "ValueError".</summary>
    public string PythonType { get; } = pythonType;

    /// <summary>The Python exception's message.</summary>
    public string PythonMessage { get; } = pythonMessage;

    /// <summary>The Python traceback, formatted as Python prints it.</summary>
    public string PythonTraceback { get; } = traceback;

    /// <inheritdoc />
    public override string ToString() => $"{base.ToString()}{Environment.NewLine}Python traceback:{Environment.NewLine}{PythonTraceback}";
}
