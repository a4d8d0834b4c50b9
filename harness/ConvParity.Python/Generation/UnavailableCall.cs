namespace ConvParity.Python.Generation;

/// <summary>Calls a catalogue's case skipped because its library or module is not importable here, with the
/// reason.</summary>
/// <param name="Call">The call.</param>
/// <param name="Cases">How many cases it had.</param>
/// <param name="Reason">Why it is not available.</param>
public sealed record UnavailableCall(string Call, int Cases, string Reason);
