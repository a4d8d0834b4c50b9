namespace ConvParity.Fixtures;

/// <summary>A call the library refused: the exception's type and message, as the library raised them.</summary>
/// <param name="Type">The exception type, for example "NotImplementedError".</param>
/// <param name="Message">The exception's message.</param>
public sealed record FixtureRaises(string Type, string Message)
{
    /// <summary>"Type: message", as Python prints it.</summary>
    public override string ToString() => $"{Type}: {Message}";
}
