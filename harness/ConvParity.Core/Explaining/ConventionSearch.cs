using System.Diagnostics;
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
        // The same elements with unit axes added or dropped are the same answer; any other shape is not.
        if (
            !Tensor.SameShape(observed.Shape, h.ResultShape)
            && !Squeezed(observed.Shape).SequenceEqual(Squeezed(h.ResultShape))
        )
            return new Trial(
                candidate,
                Verdict.Mismatch(
                    $"result shape [{Tensor.FormatShape(observed.Shape)}] differs from the convention's "
                        + $"[{Tensor.FormatShape(h.ResultShape)}]",
                    "per-element gamma_n"
                ),
                double.PositiveInfinity
            );
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
    /// The call of <paramref name="call"/>'s own library that gives what the engine answered, e.g.
    /// "; in torch's words: torch.nn.functional.conv2d(x, w, ...)": the convention a user of that library would
    /// recognise. Empty when that library has no such call.
    /// </summary>
    private static string InTheLibrarysWords(string call, Hypothesis matched, Tensor first, Tensor second, Tensor y)
    {
        string library = call[..Math.Max(0, call.IndexOf('.', StringComparison.Ordinal))];
        string? said = Vocabulary
            .Calls(matched, first, second, y)
            .FirstOrDefault(c =>
                c.StartsWith(library + ".", StringComparison.Ordinal)
                || c.StartsWith(library + " ", StringComparison.Ordinal)
            );
        return said is null ? "" : $"; in {library}'s words: {said}";
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
                + (matches.Count > 3 ? $" ({matches.Count - 3} more match)" : "")
                + InTheLibrarysWords(plan.Call, matches[0].Hypothesis, first, second, actual);
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

    /// <summary>The time budget of <see cref="Explain"/> when none is given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The memory budget of <see cref="Explain"/> when none is given: 1 GiB for the convention runs.</summary>
    public const long DefaultMemoryBudget = 1L << 30;

    /// <summary>How much more complex than the simplest match a convention may be and still be tried: past that the
    /// search has its answer and stops.</summary>
    public const int ComplexitySlack = 3;

    /// <summary>A miss whose largest |observed - exact| / S on the sampled positions is below this is tried again
    /// with its operands rounded to TF32, bfloat16 and float16 (those round by 2^-9 or 2^-12 per operand;
    /// another convention misses by about 1).</summary>
    public const double RoundingSuspect = 1.0 / 32;

    /// <summary>Conventions tried together (in parallel) between two looks at the clock.</summary>
    private const int Batch = 256;

    private static readonly OperandRounding[] Formats =
    [
        OperandRounding.BFloat16,
        OperandRounding.Float16,
        OperandRounding.Tf32,
    ];

    /// <summary>
    /// Explains <paramref name="y"/> as a convolution of <paramref name="x"/> with <paramref name="w"/>. With
    /// <paramref name="call"/>, first tries that library call and its neighbours; otherwise, or when none of
    /// those match, searches the conventions the shapes allow, simplest first (at most <paramref name="limit"/>),
    /// until it has the simplest matches, or <paramref name="timeout"/> (default 10 s) has passed. Each
    /// convention is judged on a sample of positions first and run whole only when the sample matches, and only
    /// when its run fits <paramref name="memoryBudget"/> bytes; what was not tried is said.
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
        Action<int, int>? progress = null,
        TimeSpan? timeout = null,
        long memoryBudget = DefaultMemoryBudget
    )
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(memoryBudget, 1);
        var clock = Stopwatch.StartNew();
        var budget = timeout ?? DefaultTimeout;
        if (budget <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "the time budget must be positive");
        var checker = new Checker(x, w, y, new Probe(y), memoryBudget) { Deadline = DateTime.UtcNow + budget };
        Trial? callTrial = null;
        IReadOnlyList<Trial> neighbours = [];
        if (call is not null)
        {
            var plan = ConventionRegistry.Plan(call, [x.ShapeArray(), w.ShapeArray()], kwargs);
            var h = Hypothesis.FromPlan(plan);
            if (Squeezed(plan.ResultShape).SequenceEqual(Squeezed(y.Shape)))
                h = h.WithResultShape(y.ShapeArray());
            callTrial = checker.Check(new Candidate(h, null), whole: true);
            if (!callTrial.Matches && callTrial.Verdict.Reason is null)
                neighbours =
                [
                    .. checker
                        .CheckAll([.. ConventionSpace.Neighbours(h)])
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
            var found = new List<Trial>();
            long total = ConventionSpace.Count(x.ShapeArray(), w.ShapeArray(), y.ShapeArray());
            int shown = (int)Math.Min(Math.Min(total, limit), int.MaxValue);
            int? simplest = null;
            string? stop = null;
            foreach (
                var batch in ConventionSpace.FromShapes(x.ShapeArray(), w.ShapeArray(), y.ShapeArray()).Chunk(Batch)
            )
            {
                int complexity = batch[0].Complexity;
                if (simplest is int s && complexity > s + ComplexitySlack)
                {
                    stop = $"conventions more than {ComplexitySlack} settings more complex than the simplest match";
                    break;
                }
                if (clock.Elapsed > budget)
                {
                    stop = string.Create(
                        CultureInfo.InvariantCulture,
                        $"the time budget ({budget.TotalSeconds:G3} s, --timeout) ran out: "
                            + $"conventions of complexity {complexity} and above"
                    );
                    break;
                }
                if (searched >= limit)
                {
                    truncated = true;
                    stop =
                        $"the limit of {limit} conventions (--limit) was reached: "
                        + $"conventions of complexity {complexity} and above";
                    break;
                }
                var taken = batch.Take(limit - searched).ToArray();
                searched += taken.Length;
                var trials = checker.CheckAll([.. taken.Select(h => new Candidate(h, null))]);
                foreach (var trial in trials)
                {
                    if (trial.Matches)
                    {
                        found.Add(trial);
                        simplest = Math.Min(simplest ?? int.MaxValue, trial.Hypothesis.Complexity);
                    }
                    else if (
                        trial.Verdict.Reason is null
                        && (
                            closest is null
                            || (trial.Verdict.WorstRatio, trial.RelativeError).CompareTo(
                                (closest.Verdict.WorstRatio, closest.RelativeError)
                            ) < 0
                        )
                    )
                        closest = trial;
                }
                progress?.Invoke(searched, Math.Max(searched, shown));
            }
            if (stop is not null)
                checker.NotTried.Add(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"{stop} (at most {Math.Max(0, total - searched):N0} more) were not tried"
                    )
                );
            matches = [.. found.OrderBy(t => t.Hypothesis.Complexity).ThenBy(t => t.Verdict.WorstRatio)];
            // The closest miss is said whole when its run fits.
            if (matches.Count == 0 && closest is { Sampled: true } && checker.Fits(closest.Hypothesis))
                closest = Evaluate(closest.Candidate, x, w, y);
        }

        var named = new List<Trial>();
        if (callTrial is { Matches: true })
            named.Add(callTrial);
        named.AddRange(neighbours.Take(Explanation.Shown));
        named.AddRange(matches.Take(Explanation.Shown));
        var vocabulary = named.Distinct().ToDictionary(t => t, t => Vocabulary.Calls(t, x, w, y, checker));
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
        )
        {
            NotTried = checker.Unsearched,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>
    /// Judges candidates against y within a memory budget: on the probe's sampled positions first, whole only
    /// when those match; a sampled miss close enough to be reduced precision is tried again with its operands
    /// rounded to each format. Whatever it could not run is recorded in <see cref="NotTried"/>.
    /// </summary>
    internal sealed class Checker(Tensor x, Tensor w, Tensor y, Probe probe, long memoryBudget)
    {
        private int _tooLarge;

        /// <summary>What was not tried, in words.</summary>
        public List<string> NotTried { get; } = [];

        /// <summary>What was not tried, with the conventions that matched on the sample but were too large to run
        /// whole.</summary>
        public IReadOnlyList<string> Unsearched =>
            _tooLarge == 0
                ? NotTried
                :
                [
                    .. NotTried,
                    $"{_tooLarge} conventions that matched y on {Probe.Size} sampled positions take more than "
                        + "the memory "
                        + $"budget ({memoryBudget:N0} bytes) to run whole: not named",
                ];

        /// <summary>Whether rounding x and w to float16 and to TF32 gives the same values (both have 11 significand
        /// bits; they differ outside float16's normal range).</summary>
        private bool Float16IsTf32 => _float16IsTf32.Value;

        private readonly Lazy<bool> _float16IsTf32 = new(() => RoundAlike(x) && RoundAlike(w));

        private static bool RoundAlike(Tensor t)
        {
            foreach (float v in t.Span)
                if (!Rounding.Apply(OperandRounding.Float16, v).Equals(Rounding.Apply(OperandRounding.Tf32, v)))
                    return false;
            return true;
        }

        /// <summary>The same checker for other operands (rounded ones, say).</summary>
        public Checker For(Tensor first, Tensor second) =>
            new(first, second, y, probe, memoryBudget) { Deadline = Deadline };

        /// <summary>When the time budget runs out (UTC).</summary>
        public DateTime Deadline { get; init; } = DateTime.MaxValue;

        /// <summary>Whether the time budget has run out.</summary>
        public bool Expired => DateTime.UtcNow > Deadline;

        /// <summary>Whether a whole run of <paramref name="h"/> fits the memory budget.</summary>
        public bool Fits(Hypothesis h) => Bytes(h) <= memoryBudget;

        /// <summary>
        /// Bytes a whole run takes, estimated: the operands' copies (rounded, permuted, cropped) and their absolute
        /// values; per element of the result the double sums of the answer and of S, the float answers, their
        /// layouts, the bound and the typical error.
        /// </summary>
        private long Bytes(Hypothesis h)
        {
            long result = Math.Max(
                h.ResultShape.Aggregate(1L, (n, s) => n * s),
                h.Problem.ResultShape(h.Operation).Aggregate(1L, (n, s) => n * s)
            );
            return 16 * ((long)x.Length + w.Length) + 64 * result;
        }

        /// <summary>Judges one candidate: sampled, then whole where the sample matches (or always, with <paramref
        /// name="whole"/>, when it fits).</summary>
        public Trial Check(Candidate candidate, bool whole = false)
        {
            var h = candidate.Hypothesis;
            Trial? sampled = null;
            if (probe.Applies(h))
            {
                var verdict = probe.Judge(h, x, w, out double relative);
                sampled = new Trial(candidate, verdict, relative) { Sampled = true };
                if (!verdict.Passed && !whole)
                    return sampled;
            }
            if (!Fits(h))
            {
                if (sampled is { Verdict.Passed: true })
                    Interlocked.Increment(ref _tooLarge);
                return sampled
                    ?? new Trial(
                        candidate,
                        Verdict.Mismatch(TooLarge(h), "per-element gamma_n"),
                        double.PositiveInfinity
                    );
            }
            return Evaluate(candidate, x, w, y);
        }

        /// <summary>Judges every candidate (in parallel), and each near miss again with rounded operands.</summary>
        public IReadOnlyList<Trial> CheckAll(IReadOnlyList<Candidate> candidates)
        {
            var trials = new Trial[candidates.Count];
            var rounded = new List<Trial>[candidates.Count];
            Parallel.For(
                0,
                candidates.Count,
                i =>
                {
                    var trial = Check(candidates[i]);
                    trials[i] = trial;
                    rounded[i] = [];
                    if (
                        trial.Matches
                        || trial.Verdict.Reason is not null
                        || trial.Hypothesis.Rounding != OperandRounding.None
                    )
                        return;
                    // A sampled miss carries |observed - exact| / S; a whole one its normwise relative error.
                    if (trial.RelativeError > RoundingSuspect)
                        return;
                    foreach (var format in Formats)
                    {
                        // Where float16 and TF32 round both operands alike, they are one answer with both names.
                        if (format == OperandRounding.Tf32 && Float16IsTf32)
                            continue;
                        var variant = Check(
                            new Candidate(
                                trial.Hypothesis.WithRounding(
                                    format == OperandRounding.Float16 && Float16IsTf32
                                        ? OperandRounding.Float16OrTf32
                                        : format
                                ),
                                trial.Candidate.Change is { } change
                                    ? $"{change}, operands rounded to {Rounding.Describe(format)}"
                                    : null
                            )
                        );
                        rounded[i].Add(variant);
                    }
                }
            );
            return [.. trials, .. rounded.SelectMany(r => r)];
        }

        private string TooLarge(Hypothesis h) =>
            $"not run: its whole run takes about {Bytes(h):N0} bytes, above the memory budget of {memoryBudget:N0}";
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
