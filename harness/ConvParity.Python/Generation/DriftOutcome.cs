namespace ConvParity.Python.Generation;

/// <summary>How a stored answer compares with the live library's answer today.</summary>
public enum DriftOutcome
{
    /// <summary>The live answer lies within the judge's bound of the stored one.</summary>
    Unchanged,

    /// <summary>Beyond the bound: the library (or the fixture) changed.</summary>
    Drifted,

    /// <summary>The call's library cannot be imported here (named in the message).</summary>
    NotAvailable,

    /// <summary>No convention plans the call, so no bound can be computed (named in the message).</summary>
    Unsupported,

    /// <summary>The case could not be checked: the library raised, or a file is unreadable.</summary>
    Failed,
}
