namespace ConvParity.Python.Generation;

/// <summary>One case of a drift check.</summary>
/// <param name="CaseId">The case id.</param>
/// <param name="Call">The library call.</param>
/// <param name="Outcome">What was found.</param>
/// <param name="Message">The verdict or the reason, in one line.</param>
public sealed record DriftResult(string CaseId, string Call, DriftOutcome Outcome, string Message);
