using System.Globalization;
using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Engines;
using ConvParity.Judging;
using ConvParity.Tensors;

namespace ConvParity.Explaining;

/// <summary>
/// Tries conventions against an observed answer, with the reference engine and the float32 bound:
/// the likely cause of a failed verdict (the neighbours of the plan) and <c>explain</c> (the whole space
/// the shapes allow). One search serves both.
/// </summary>
public static class ConventionSearch
{
    /// <summary>Problems with more terms than this are not searched for a cause (each neighbour is a full reference
    /// run).</summary>
    public const long MaxTermsForCause = 20_000_000;

    /// <summary>Runs <paramref name="candidate"/> on the library's arrays with the reference engine and judges
    /// <paramref name="observed"/> against it.</summary>
    public static Trial Evaluate(Candidate candidate, Tensor first, Tensor second, Tensor observed)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(observed);
        var h = candidate.Hypothesis;
        var (a, b) = h.Operands(first, second);
        var engine = new ReferenceEngine();
        var value = h.LayOut(engine.Run(h.Problem, h.Operation, a, b));
        var magnitude = h.LayOut(ErrorBound.Magnitude(h.Problem, h.Operation, a, b));
        double normwise = h.Algorithm == ReferenceAlgorithm.Fft ? ErrorBound.Normwise(h.Problem, a, b) : 0;
        bool nonFinite = !ErrorBound.AllFinite(a) || !ErrorBound.AllFinite(b);
        var bound = ErrorBound.FromMagnitude(
            value,
            magnitude.Span,
            h.Problem.ProductsPerResult(h.Operation),
            h.Algorithm,
            normwise,
            false,
            nonFinite
        );
        // The same elements with unit axes added or dropped are the same answer.
        if (
            !Tensor.SameShape(observed.Shape, value.Shape)
            && Squeezed(observed.Shape).SequenceEqual(Squeezed(value.Shape))
        )
            observed = observed.Reshape(value.ShapeArray());
        var verdict = bound.Judge(observed, findCause: false);
        return new Trial(
            candidate,
            verdict,
            verdict.Reason is null ? RelativeDistance(observed.Span, value.Span) : double.PositiveInfinity
        );
    }

    /// <summary>Evaluates every candidate (in parallel), reporting progress as (done, total).</summary>
    public static IReadOnlyList<Trial> EvaluateAll(
        IReadOnlyList<Candidate> candidates,
        Tensor first,
        Tensor second,
        Tensor observed,
        Action<int, int>? progress = null
    )
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var trials = new Trial[candidates.Count];
        int done = 0;
        Parallel.For(
            0,
            candidates.Count,
            i =>
            {
                trials[i] = Evaluate(candidates[i], first, second, observed);
                int finished = Interlocked.Increment(ref done);
                if (progress is not null && (finished % 64 == 0 || finished == candidates.Count))
                    progress(finished, candidates.Count);
            }
        );
        return trials;
    }

    /// <summary>
    /// Why <paramref name="actual"/> failed against <paramref name="plan"/>: the neighbouring conventions it
    /// matches (a missing flip, a shifted anchor, swapped pads, a stride phase, a layout, a reduced precision),
    /// or, when none does, the closest one and how far.
    /// </summary>
    public static string LikelyCause(ConvPlan plan, Tensor first, Tensor second, Tensor actual, Verdict verdict)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(verdict);
        if (verdict.NonFiniteMismatches > 0 && verdict.NonFiniteMismatches == verdict.Failures)
            return "NaN/Inf where the reference has none, or the reverse: the finite elements all agree, "
                + "so look at how non-finite inputs travel (a direct sum keeps them inside the windows they touch)";
        var problem = plan.Problem;
        long terms =
            problem.ResultShape(plan.Operation).Aggregate(1L, (n, s) => n * s)
            * problem.ProductsPerResult(plan.Operation);
        if (terms > MaxTermsForCause)
            return string.Create(
                CultureInfo.InvariantCulture,
                $"not searched: {terms:N0} terms per reference run is too many to try every neighbouring convention"
            );

        var trials = EvaluateAll([.. ConventionSpace.Neighbours(Hypothesis.FromPlan(plan))], first, second, actual);
        var matches = trials
            .Where(t => t.Matches)
            .OrderBy(t => t.Hypothesis.Complexity)
            .ThenBy(t => t.Verdict.WorstRatio)
            .ToList();
        if (matches.Count > 0)
            return "the answer is the reference's with "
                + string.Join(
                    ", or with ",
                    matches.Take(3).Select(t => $"{t.Candidate.Change} ({t.Verdict.WorstRatio:G2} x bound)")
                )
                + (matches.Count > 3 ? $" ({matches.Count - 3} more match)" : "");
        var closest = trials.Where(t => t.Verdict.Reason is null).MinBy(t => t.Verdict.WorstRatio);
        string nearest =
            closest is null || closest.Verdict.WorstRatio >= verdict.WorstRatio
                ? "no neighbouring convention comes closer than the plan itself"
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"no neighbouring convention matches; the closest, {closest.Candidate.Change}, "
                        + $"is {closest.Verdict.WorstRatio:G3} x bound"
                );
        return verdict.WorstTypicalRatio > 16 && (closest is null || closest.Verdict.WorstRatio >= verdict.WorstRatio)
            ? string.Create(
                CultureInfo.InvariantCulture,
                $"{nearest}; the error is {verdict.WorstTypicalRatio:G3} x the typical float32 error "
                    + $"({verdict.Quality}): reduced-precision arithmetic or an inaccurate algorithm"
            )
            : nearest;
    }

    /// <summary>
    /// Explains <paramref name="y"/> as a convolution of <paramref name="x"/> with <paramref name="w"/>. With
    /// <paramref name="call"/>, first tries that library call and its neighbours; otherwise, or when none of
    /// those match, searches every convention the shapes allow (at most <paramref name="limit"/>).
    /// </summary>
    /// <exception cref="UnsupportedCallException">The call is not one the conventions know.</exception>
    /// <exception cref="ArgumentException">The call does not take arrays of these shapes.</exception>
    public static Explanation Explain(
        Tensor x,
        Tensor w,
        Tensor y,
        string? call = null,
        JsonObject? kwargs = null,
        int limit = 50_000,
        Action<int, int>? progress = null
    )
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(y);
        Trial? callTrial = null;
        IReadOnlyList<Trial> neighbours = [];
        if (call is not null)
        {
            var plan = ConventionRegistry.Plan(call, [x.ShapeArray(), w.ShapeArray()], kwargs);
            var h = Hypothesis.FromPlan(plan);
            if (Squeezed(plan.ResultShape).SequenceEqual(Squeezed(y.Shape)))
                h = h.WithResultShape(y.ShapeArray());
            callTrial = Evaluate(new Candidate(h, null), x, w, y);
            if (!callTrial.Matches && callTrial.Verdict.Reason is null)
                neighbours =
                [
                    .. EvaluateAll([.. ConventionSpace.Neighbours(h)], x, w, y)
                        .Where(t => t.Matches)
                        .OrderBy(t => t.Hypothesis.Complexity)
                        .ThenBy(t => t.Verdict.WorstRatio),
                ];
        }

        IReadOnlyList<Trial> matches = [];
        Trial? closest = null;
        int searched = 0;
        bool truncated = false;
        if (callTrial is not { Matches: true } && neighbours.Count == 0)
        {
            var space = ConventionSpace.FromShapes(
                x.ShapeArray(),
                w.ShapeArray(),
                y.ShapeArray(),
                limit,
                out truncated
            );
            searched = space.Count;
            var trials = EvaluateAll([.. space.Select(h => new Candidate(h, null))], x, w, y, progress);
            matches =
            [
                .. trials.Where(t => t.Matches).OrderBy(t => t.Hypothesis.Complexity).ThenBy(t => t.Verdict.WorstRatio),
            ];
            closest = trials
                .Where(t => !t.Matches && t.Verdict.Reason is null)
                .OrderBy(t => t.Verdict.WorstRatio)
                .ThenBy(t => t.RelativeError)
                .FirstOrDefault();
        }

        var named = new List<Trial>();
        if (callTrial is { Matches: true })
            named.Add(callTrial);
        named.AddRange(neighbours.Take(Explanation.Shown));
        named.AddRange(matches.Take(Explanation.Shown));
        var vocabulary = named.ToDictionary(t => t, t => Vocabulary.Calls(t.Hypothesis, x, w, y));
        return new Explanation(
            x.ShapeArray(),
            w.ShapeArray(),
            y.ShapeArray(),
            call,
            kwargs,
            callTrial,
            neighbours,
            matches,
            closest,
            searched,
            truncated,
            vocabulary
        );
    }

    /// <summary>The shape without unit axes.</summary>
    internal static int[] Squeezed(IEnumerable<int> shape) => [.. shape.Where(d => d != 1)];

    private static double RelativeDistance(ReadOnlySpan<float> observed, ReadOnlySpan<float> value)
    {
        double difference = 0,
            norm = 0;
        for (int i = 0; i < observed.Length; i++)
        {
            if (!float.IsFinite(observed[i]) || !float.IsFinite(value[i]))
                continue;
            double d = (double)observed[i] - value[i];
            difference += d * d;
            norm += (double)value[i] * value[i];
        }
        return norm > 0 ? Math.Sqrt(difference / norm)
            : difference > 0 ? double.PositiveInfinity
            : 0;
    }
}
