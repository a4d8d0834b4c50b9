using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Explaining;
using ConvParity.Fixtures;
using ConvParity.Tensors;

namespace ConvParity.Cli;

/// <summary><c>convparity explain</c>: which convolution convention turns x and w into y.</summary>
public sealed class ExplainCommand : Command
{
    /// <summary>What <c>explain --help</c> says, exit codes included.</summary>
    public const string Help = """
        Finds the convolution conventions (flip, 'same' anchor, pads, stride phase, dilation, groups, boundaries,
        layouts, transposed convolution, operands rounded to bfloat16 / float16 / TF32) that turn x and w into y
        within the float32 bound, and says each in numpy's, scipy's and Theano's words. With --call, first tries
        that call and the conventions one bug away from it.
        The search tries each convention on sampled positions before the whole array, and stops at --timeout
        (default 10 s) and --max-memory (default 1G), saying what it did not try; --json prints JSON.
        Exit codes: 0 some convention reproduces y; 1 none does (the closest is named); 2 bad arguments, or an
        unreadable, empty or 0-d .npy file (each capped at 1 GiB).
        """;

    private readonly Option<string> _input = new("--input")
    {
        Description = "x, a .npy file.",
        HelpName = "X.npy",
        Required = true,
    };
    private readonly Option<string> _kernel = new("--kernel")
    {
        Description = "w, a .npy file.",
        HelpName = "W.npy",
        Required = true,
    };
    private readonly Option<string> _output = new("--output")
    {
        Description = "y, the answer to explain, a .npy file.",
        HelpName = "Y.npy",
        Required = true,
    };

    private readonly Option<string> _call = new("--call")
    {
        Description = "The library call y is believed to come from, e.g. scipy.signal.correlate.",
        HelpName = "NAME",
    };

    private readonly Option<JsonObject> _kwargs = new("--kwargs")
    {
        Description = "The call's keyword arguments as a JSON object, e.g. '{\"mode\": \"same\"}' (needs --call).",
        HelpName = "JSON",
        CustomParser = result =>
        {
            string json = result.Tokens[0].Value;
            try
            {
                if (JsonNode.Parse(json) is JsonObject kwargs)
                    return kwargs;
                result.AddError($"explain: --kwargs {json} is not a JSON object");
            }
            catch (JsonException e)
            {
                result.AddError($"explain: --kwargs is not valid JSON: {e.Message}");
            }
            return null;
        },
    };

    private readonly Option<int> _limit = new("--limit")
    {
        Description = "The most conventions the shape search tries.",
        HelpName = "N",
        DefaultValueFactory = _ => 50_000,
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) && limit >= 1)
                return limit;
            result.AddError($"explain: --limit '{text}' is not a positive integer");
            return 0;
        },
    };

    private readonly Option<double> _timeout = new("--timeout")
    {
        Description =
            "The time budget of the search in seconds (default 10): it stops there and says what it did not try.",
        HelpName = "SECONDS",
        DefaultValueFactory = _ => ConventionSearch.DefaultTimeout.TotalSeconds,
        CustomParser = result =>
        {
            string text = result.Tokens[0].Value;
            if (
                double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
                && seconds > 0
                && seconds <= 86_400
            )
                return seconds;
            result.AddError($"explain: --timeout '{text}' is not a number of seconds above 0 and at most 86400");
            return 0;
        },
    };

    private readonly Option<long> _maxMemory = new("--max-memory")
    {
        Description =
            "The memory budget of one convention's whole run: a count of bytes, or with K, M, G (default 1G). A "
            + "convention above it is judged on sampled positions only and said not tried.",
        HelpName = "N",
        DefaultValueFactory = _ => ConventionSearch.DefaultMemoryBudget,
        CustomParser = result => SuiteOptions.ParseBytes(result, "explain: --max-memory: "),
    };

    private readonly Option<bool> _json = new("--json")
    {
        Description =
            "Print the explanation as JSON: the candidates, each one's calls in each library's words, its error / "
            + "bound, and what was not tried.",
    };

    /// <summary>Declares <c>explain</c> and its options.</summary>
    public ExplainCommand()
        : base("explain", Help)
    {
        Add(_input);
        Add(_kernel);
        Add(_output);
        Add(_call);
        Add(_kwargs);
        Add(_limit);
        Add(_timeout);
        Add(_maxMemory);
        Add(_json);
        Validators.Add(result =>
        {
            if (result.GetResult(_kwargs) is not null && result.GetResult(_call) is null)
                result.AddError("explain: --kwargs needs --call");
        });
        SetAction(result =>
        {
            var options = new Settings(
                result.GetRequiredValue(_input),
                result.GetRequiredValue(_kernel),
                result.GetRequiredValue(_output),
                result.GetValue(_call),
                result.GetValue(_kwargs),
                result.GetValue(_limit)
            )
            {
                Timeout = TimeSpan.FromSeconds(result.GetValue(_timeout)),
                MaxMemory = result.GetValue(_maxMemory),
                Json = result.GetValue(_json),
            };
            return Run(options, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
        });
    }

    /// <summary>The arguments of <c>explain</c>, as parsed.</summary>
    /// <param name="Input">x (.npy).</param>
    /// <param name="Kernel">w (.npy).</param>
    /// <param name="Output">y (.npy), the answer to explain.</param>
    /// <param name="Call">A library call y is believed to come from (optional).</param>
    /// <param name="Kwargs">Its keyword arguments as JSON (optional).</param>
    /// <param name="Limit">The most conventions the shape search tries.</param>
    public sealed record Settings(
        string Input,
        string Kernel,
        string Output,
        string? Call,
        JsonObject? Kwargs,
        int Limit
    )
    {
        /// <summary>The time budget of the search (--timeout).</summary>
        public TimeSpan Timeout { get; init; } = ConventionSearch.DefaultTimeout;

        /// <summary>The memory budget of one convention's whole run (--max-memory).</summary>
        public long MaxMemory { get; init; } = ConventionSearch.DefaultMemoryBudget;

        /// <summary>Print JSON instead of text (--json).</summary>
        public bool Json { get; init; }
    }

    /// <summary>Runs the search and prints the explanation. Exit 0: some convention reproduces y; 1: none does; 2: bad
    /// input.</summary>
    public static int Run(Settings options, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        FixtureArray x,
            w,
            y;
        try
        {
            (x, w, y) = (NpyFile.Read(options.Input), NpyFile.Read(options.Kernel), NpyFile.Read(options.Output));
        }
        catch (FixtureException e)
        {
            errors.WriteLine($"convparity explain: {e.Message}");
            return ExitCodes.BadArguments;
        }
        // An empty array, or a 0-d input or kernel, has nothing to convolve; a 0-d output is a scalar answer
        // (numpy.sum).
        foreach (
            var (option, path, array, scalarAllowed) in new[]
            {
                ("--input", options.Input, x, false),
                ("--kernel", options.Kernel, w, false),
                ("--output", options.Output, y, true),
            }
        )
            if (array.Tensor.Length == 0 || (array.Tensor.Rank == 0 && !scalarAllowed))
            {
                string what =
                    array.Tensor.Length == 0
                        ? $"empty (shape [{Tensor.FormatShape(array.Tensor.Shape)}])"
                        : "a 0-d array (a single number, no axes)";
                errors.WriteLine($"convparity explain: {option} {path} is {what}; there is nothing to convolve");
                return ExitCodes.BadArguments;
            }

        Explanation? explanation = null;
        try
        {
            ConsoleProgress.Run(
                errors,
                ["trying conventions"],
                (_, progress) =>
                {
                    explanation = ConventionSearch.Explain(
                        x.Tensor,
                        w.Tensor,
                        y.Tensor,
                        options.Call,
                        options.Kwargs,
                        options.Limit,
                        progress,
                        options.Timeout,
                        options.MaxMemory
                    );
                    return null;
                }
            );
        }
        catch (Exception e) when (e is UnsupportedCallException or ArgumentException)
        {
            errors.WriteLine($"convparity explain: {e.Message}");
            return ExitCodes.BadArguments;
        }
        if (options.Json)
            output.WriteLine(explanation!.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        else
            output.Write(explanation!.ToString());
        return explanation.Found ? ExitCodes.Passed : ExitCodes.Failed;
    }
}
