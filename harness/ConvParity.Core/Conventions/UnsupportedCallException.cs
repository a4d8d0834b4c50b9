namespace ConvParity.Conventions;

/// <summary>
/// A call, or one of its arguments, that no convention here handles. It names what is not handled;
/// a checker reports such a case as unsupported, never as passed.
/// </summary>
public sealed class UnsupportedCallException : Exception
{
    /// <summary>Creates the exception for <paramref name="call"/>, naming <paramref name="argument"/> when one argument
    /// is the reason.</summary>
    /// <param name="call">The library call, fully qualified.</param>
    /// <param name="argument">The argument that is not handled, if one is the reason.</param>
    /// <param name="message">What is not handled, and why.</param>
    public UnsupportedCallException(string call, string? argument, string message)
        : base(argument is null ? $"{call}: {message}" : $"{call}: argument '{argument}': {message}")
    {
        Call = call;
        Argument = argument;
    }

    /// <summary>The library call.</summary>
    public string Call { get; }

    /// <summary>The argument that is not handled, if one is the reason.</summary>
    public string? Argument { get; }
}
