using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ConvParity.Tensors;

namespace ConvParity.Explaining;

/// <summary>What <see cref="ConventionSearch.Explain"/> found: the given call's verdict, the conventions that reproduce
/// y, the closest miss.</summary>
/// <param name="X">Shape of x.</param>
/// <param name="W">Shape of w.</param>
/// <param name="Y">Shape of y.</param>
/// <param name="Call">The library call the user named, if any.</param>
/// <param name="Kwargs">Its keyword arguments.</param>
/// <param name="CallTrial">That call judged against y.</param>
/// <param name="Neighbours">The call's neighbouring conventions that reproduce y, simplest first.</param>
/// <param name="Matches">The conventions of the whole search that reproduce y, simplest first.</param>
/// <param name="Closest">When nothing matched: the convention that came closest.</param>
/// <param name="Searched">How many conventions the shape search tried.</param>
/// <param name="Truncated">Whether the shape search stopped at its limit.</param>
/// <param name="Vocabulary">For the conventions shown: the library calls that were checked to reproduce y.</param>
public sealed record Explanation(
    IReadOnlyList<int> X,
    IReadOnlyList<int> W,
    IReadOnlyList<int> Y,
    string? Call,
    JsonObject? Kwargs,
    Trial? CallTrial,
    IReadOnlyList<Trial> Neighbours,
    IReadOnlyList<Trial> Matches,
    Trial? Closest,
    int Searched,
    bool Truncated,
    IReadOnlyDictionary<Trial, IReadOnlyList<string>> Vocabulary
)
{
    /// <summary>Shape of x (copied).</summary>
    public IReadOnlyList<int> X { get; } = Array.AsReadOnly(X?.ToArray() ?? throw new ArgumentNullException(nameof(X)));

    /// <summary>Shape of w (copied).</summary>
    public IReadOnlyList<int> W { get; } = Array.AsReadOnly(W?.ToArray() ?? throw new ArgumentNullException(nameof(W)));

    /// <summary>Shape of y (copied).</summary>
    public IReadOnlyList<int> Y { get; } = Array.AsReadOnly(Y?.ToArray() ?? throw new ArgumentNullException(nameof(Y)));

    /// <summary>How many matching conventions are shown with their library calls.</summary>
    public const int Shown = 5;

    /// <summary>Whether some convention reproduces y.</summary>
    public bool Found => CallTrial is { Matches: true } || Neighbours.Count > 0 || Matches.Count > 0;

    /// <summary>The best explanation: the call itself, else its nearest neighbour, else the simplest match of the
    /// search.</summary>
    public Trial? Best =>
        CallTrial is { Matches: true } ? CallTrial : Neighbours.FirstOrDefault() ?? Matches.FirstOrDefault();

    /// <summary>The explanation as a person reads it.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"x [{Tensor.FormatShape(X)}], w [{Tensor.FormatShape(W)}], y [{Tensor.FormatShape(Y)}]");
        if (CallTrial is not null)
        {
            string call =
                $"{Call}({string.Join(", ", Kwargs?.Select(kv => $"{kv.Key}={kv.Value?.ToJsonString()}") ?? [])})";
            if (CallTrial.Matches)
            {
                text.AppendLine($"y is what {call} gives: {CallTrial.Distance}.");
                Describe(text, CallTrial, "  ");
            }
            else
            {
                text.AppendLine($"y is NOT what {call} gives: {CallTrial.Distance}.");
                text.AppendLine($"  that call is: {CallTrial.Hypothesis.Describe()}");
                if (Neighbours.Count > 0)
                {
                    text.AppendLine(
                        $"the same call with one change reproduces y "
                            + $"({Neighbours.Count} such change{(Neighbours.Count == 1 ? "" : "s")}):"
                    );
                    foreach (var trial in Neighbours.Take(Shown))
                    {
                        text.AppendLine($"  {trial.Candidate.Change}: {trial.Distance}");
                        Describe(text, trial, "    ");
                    }
                }
            }
        }
        if (Searched > 0)
        {
            text.AppendLine(
                string.Create(CultureInfo.InvariantCulture, $"searched {Searched} conventions (flip; ")
                    + "every window start: 'same' anchors, pad splits, stride phases; "
                    + string.Create(
                        CultureInfo.InvariantCulture,
                        $"strides up to {ConventionSpace.MaxStride}; dilations up to {ConventionSpace.MaxDilation}; "
                    )
                    + "groups; boundaries; plain, channels-first and channels-last data; four kernel layouts, "
                    + "spatial axes transposed; convolution and transposed convolution; "
                    + "operands rounded to bfloat16, float16, TF32)"
                    + (Truncated ? ", stopped at the limit" : "")
            );
            if (Matches.Count > 0)
            {
                text.AppendLine(
                    $"y is reproduced within the float32 bound by {Matches.Count} "
                        + $"convention{(Matches.Count == 1 ? "" : "s")}"
                        + $"{(Matches.Count > Shown ? $" (the {Shown} simplest shown)" : "")}:"
                );
                foreach (var trial in Matches.Take(Shown))
                {
                    text.AppendLine($"  {trial.Hypothesis.Describe()}: {trial.Distance}");
                    Describe(text, trial, "    ", withConvention: false);
                }
            }
            else
            {
                text.AppendLine("no convention reproduces y within the float32 bound.");
                if (Closest is not null)
                    text.AppendLine(
                        $"closest: {Closest.Hypothesis.Describe()}: {Closest.Distance} ({Closest.Verdict.Quality})"
                    );
            }
        }
        foreach (string skipped in NotTried)
            text.AppendLine($"not tried: {skipped}.");
        return text.ToString();
    }

    /// <summary>What the search did not try, in words (the time budget, the memory budget, the limit, the
    /// conventions past the simplest matches).</summary>
    public IReadOnlyList<string> NotTried { get; init; } = [];

    /// <summary>How long the search took.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>
    /// The explanation as JSON (<c>explain --json</c>): the shapes, the call and its verdict, every candidate shown
    /// (the call, its neighbours, the search's matches, the closest miss) with its settings, its distance
    /// (worst |difference| / bound) and its calls in each library's words, and what was not tried.
    /// </summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["format"] = "convparity.explain/1",
            ["x"] = Shape(X),
            ["w"] = Shape(W),
            ["y"] = Shape(Y),
            ["found"] = Found,
            ["call"] = Call,
            ["kwargs"] = Kwargs?.DeepClone(),
            ["call_verdict"] = CallTrial is null ? null : Candidate(CallTrial),
            ["neighbours"] = new JsonArray([.. Neighbours.Take(Shown).Select(t => (JsonNode)Candidate(t))]),
            ["matches"] = new JsonArray([.. Matches.Take(Shown).Select(t => (JsonNode)Candidate(t))]),
            ["match_count"] = Matches.Count + Neighbours.Count + (CallTrial is { Matches: true } ? 1 : 0),
            ["closest"] = Found || Closest is null ? null : Candidate(Closest),
            ["searched"] = Searched,
            ["not_tried"] = new JsonArray([.. NotTried.Select(n => (JsonNode)JsonValue.Create(n))]),
            ["seconds"] = Math.Round(Elapsed.TotalSeconds, 3),
        };
        return json;
    }

    private JsonObject Candidate(Trial trial)
    {
        var h = trial.Hypothesis;
        var p = h.Problem;
        var verdict = trial.Verdict;
        return new JsonObject
        {
            ["convention"] = h.Describe(),
            ["change"] = trial.Candidate.Change,
            ["matches"] = trial.Matches,
            ["error_over_bound"] = double.IsFinite(verdict.WorstRatio) ? verdict.WorstRatio : null,
            ["worst_difference"] = verdict.Worst?.Difference,
            ["bound_at_worst"] = verdict.Worst?.Bound,
            ["elements_beyond_bound"] = verdict.Failures,
            ["elements"] = verdict.Elements,
            ["sampled"] = trial.Sampled,
            ["reason"] = verdict.Reason,
            ["complexity"] = h.Complexity,
            ["settings"] = new JsonObject
            {
                ["operation"] = h.Operation.ToString(),
                ["flip"] = p.Flip,
                ["pad_before"] = Shape(h.PadBefore),
                ["pad_after"] = Shape(h.PadAfter),
                ["stride"] = Shape([.. p.Stride]),
                ["dilation"] = Shape([.. p.Dilation]),
                ["groups"] = p.Groups,
                ["boundary"] = p.Boundary.ToString(),
                ["data"] = h.Data.ToString(),
                ["kernel"] = h.Kernel.ToString(),
                ["kernel_axes_reordered"] = h.KernelAxesReversed,
                ["operands_rounded_to"] = h.Rounding.ToString(),
            },
            ["calls"] = new JsonArray([
                .. (Vocabulary.TryGetValue(trial, out var calls) ? calls : []).Select(c =>
                    (JsonNode)JsonValue.Create(c)
                ),
            ]),
        };
    }

    private static JsonArray Shape(IEnumerable<int> shape) =>
        new([.. shape.Select(d => (JsonNode)JsonValue.Create(d))]);

    private void Describe(StringBuilder text, Trial trial, string indent, bool withConvention = true)
    {
        if (withConvention)
            text.AppendLine($"{indent}which is: {trial.Hypothesis.Describe()}");
        if (Vocabulary.TryGetValue(trial, out var calls) && calls.Count > 0)
        {
            text.AppendLine($"{indent}in each library's words (each checked on these arrays):");
            foreach (string call in calls)
                text.AppendLine($"{indent}  {call}");
        }
    }
}
