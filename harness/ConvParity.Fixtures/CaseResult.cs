using ConvParity.Judging;

namespace ConvParity.Fixtures;

/// <summary>The result of one engine on one case.</summary>
/// <param name="Suite">The suite's name.</param>
/// <param name="CaseId">The case id.</param>
/// <param name="Call">The library call.</param>
/// <param name="Engine">The engine's name.</param>
/// <param name="Outcome">Passed, failed or unsupported.</param>
/// <param name="Message">The verdict or the reason, in one line.</param>
/// <param name="Verdict">The judge's verdict when the comparison was made.</param>
public sealed record CaseResult(
    string Suite,
    string CaseId,
    string Call,
    string Engine,
    CaseOutcome Outcome,
    string Message,
    Verdict? Verdict
);
