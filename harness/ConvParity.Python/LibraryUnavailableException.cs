namespace ConvParity.Python;

/// <summary>A library call whose library (or the module holding it) cannot be imported here; it is not available, never
/// passed.</summary>
/// <param name="call">The library call, fully qualified.</param>
/// <param name="reason">Why its library cannot be imported here.</param>
public sealed class LibraryUnavailableException(string call, string reason)
    : Exception($"{call} is not available: {reason}")
{
    /// <summary>The library call.</summary>
    public string Call { get; } = call;

    /// <summary>Why it is not available (for example "scipy is not installed for /usr/bin/python3 ...").</summary>
    public string Reason { get; } = reason;
}
