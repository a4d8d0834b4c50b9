using ConvParity.Fixtures;
using ConvParity.Tensors;

namespace ConvParity.Python.Generation;

/// <summary>
/// Answers every case of a stored suite again with the live library (the arrays read by numpy from the
/// case's own .npz) and judges the new answer against the stored one under the judge's bound, which
/// two correct float32 runs of the library can never exceed.
/// </summary>
public static class DriftCheck
{
    /// <summary>Checks every case of <paramref name="suite"/>; results in manifest order.</summary>
    public static IReadOnlyList<DriftResult> Run(
        LiveReference live,
        FixtureSuite suite,
        Action<int, int>? progress = null
    )
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(suite);
        string source = $"live {live.Runtime}";
        var results = new DriftResult[suite.Cases.Count];
        int done = 0;
        Parallel.For(
            0,
            suite.Cases.Count,
            i =>
            {
                using (FixtureCheck.Turn(suite, suite.Cases[i]))
                    results[i] = Check(live, suite, suite.Cases[i], source);
                int finished = Interlocked.Increment(ref done);
                if (finished % 50 == 0 || finished == suite.Cases.Count)
                    progress?.Invoke(finished, suite.Cases.Count);
            }
        );
        return results;
    }

    private static DriftResult Check(LiveReference live, FixtureSuite suite, FixtureCase fixtureCase, string source)
    {
        DriftResult Result(DriftOutcome outcome, string message) =>
            new(fixtureCase.Id, fixtureCase.Call, outcome, message);
        // Nothing reaches Python before the stored case is known good: a call no convention handles, kwargs it
        // refuses, and a file that is unreadable, outside the suite or above the size cap are reported from here.
        // A stored refusal goes to the library whether or not the conventions agree with it (Passed, or a
        // failure whose arrays were read): does the library still refuse?
        var stored = FixtureCheck.Prepare(suite, fixtureCase);
        if (stored.PreparationOutcome is { } outcome && outcome != CaseOutcome.Passed && !stored.PlansRefusedCall)
            return Result(
                outcome == CaseOutcome.Unsupported ? DriftOutcome.Unsupported : DriftOutcome.Failed,
                stored.PreparationProblem!
            );
        if (live.Unavailable(fixtureCase.Call) is { } reason)
            return Result(DriftOutcome.NotAvailable, reason);
        LiveAnswer answer;
        try
        {
            answer = live.AnswerFromFile(
                fixtureCase.Call,
                suite.PathOf(fixtureCase),
                fixtureCase.Args,
                fixtureCase.Kwargs
            );
        }
        catch (PythonCallException e) when (fixtureCase.Raises is { } raised)
        {
            // Still refused: unchanged when it is the same exception type (messages may be reworded).
            return e.PythonType == raised.Type
                ? Result(
                    DriftOutcome.Unchanged,
                    $"the library still refuses the call: {e.PythonType}: {Refusal.FirstParagraph(e.PythonMessage)}"
                )
                : Result(
                    DriftOutcome.Drifted,
                    $"the library refused with {raised} and now with {e.PythonType}: "
                        + $"{Refusal.FirstParagraph(e.PythonMessage)}"
                );
        }
        catch (PythonCallException e)
        {
            return Result(DriftOutcome.Failed, $"the library raised {e.PythonType}: {e.PythonMessage}");
        }
        catch (Exception e) when (e is FixtureException or ArgumentException)
        {
            return Result(DriftOutcome.Failed, e.Message);
        }
        if (fixtureCase.Raises is { } refused)
            return Result(
                DriftOutcome.Drifted,
                $"the library refused the call ({refused}) and now answers it with an array of shape "
                    + $"[{Tensor.FormatShape(answer.Value.Shape)}]"
            );
        var verdict = stored.Judge(source, answer.Value);
        return verdict.Outcome switch
        {
            CaseOutcome.Passed => Result(DriftOutcome.Unchanged, verdict.Message),
            CaseOutcome.Unsupported => Result(DriftOutcome.Unsupported, verdict.Message),
            _ when verdict.Verdict is not null => Result(DriftOutcome.Drifted, verdict.Message),
            _ => Result(DriftOutcome.Failed, verdict.Message),
        };
    }
}
