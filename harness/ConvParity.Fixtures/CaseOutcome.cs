namespace ConvParity.Fixtures;

/// <summary>How one engine fared on one case.</summary>
public enum CaseOutcome
{
    /// <summary>Within the bound everywhere.</summary>
    Passed,

    /// <summary>Beyond the bound, or the case could not be checked because something is wrong (missing file or array,
    /// refused call, engine error).</summary>
    Failed,

    /// <summary>The call or one of its arguments is not handled by any convention here (named in the
    /// message).</summary>
    Unsupported,
}
