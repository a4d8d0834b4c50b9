namespace ConvParity.Python;

/// <summary>A Python exception raised by a library call, carried into .NET with its Python type, message and
/// traceback.</summary>
/// <param name="call">The library call (or the step of ConvParity's Python side) that raised.</param>
/// <param name="pythonType">The Python exception type, for example "ValueError".</param>
/// <param name="pythonMessage">The Python exception's message.</param>
/// <param name="traceback">The Python traceback, formatted as Python prints it.</param>
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
    public override string ToString() =>
        $"{base.ToString()}{Environment.NewLine}Python traceback:{Environment.NewLine}{PythonTraceback}";
}
