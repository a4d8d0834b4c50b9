using System.Text.Json;
using System.Text.Json.Nodes;
using ConvParity.Conventions;
using ConvParity.Explaining;
using ConvParity.Fixtures;
using ConvParity.Tensors;

namespace ConvParity.Cli;

/// <summary><c>convparity explain</c>: which convolution convention turns x and w into y.</summary>
public static class ExplainCommand
{
    /// <summary>The parsed arguments of <c>explain</c>.</summary>
    /// <param name="Input">x (.npy).</param>
    /// <param name="Kernel">w (.npy).</param>
    /// <param name="Output">y (.npy), the answer to explain.</param>
    /// <param name="Call">A library call y is believed to come from (optional).</param>
    /// <param name="Kwargs">Its keyword arguments as JSON (optional).</param>
    /// <param name="Limit">The most conventions the shape search tries.</param>
    public sealed record Options(string Input, string Kernel, string Output, string? Call, JsonObject? Kwargs, int Limit)
    {
        /// <summary>Parses <c>--input X.npy --kernel W.npy --output Y.npy [--call NAME] [--kwargs JSON] [--limit N]</c>.</summary>
        /// <exception cref="UsageException">Missing, repeated or unknown options, or a malformed value.</exception>
        public static Options Parse(string[] args)
        {
            ArgumentNullException.ThrowIfNull(args);
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            string[] known = ["--input", "--kernel", "--output", "--call", "--kwargs", "--limit"];
            for (int i = 0; i < args.Length; i++)
            {
                if (!known.Contains(args[i])) throw new UsageException($"explain: unknown option '{args[i]}'");
                if (i + 1 >= args.Length) throw new UsageException($"explain: {args[i]} needs a value");
                if (!values.TryAdd(args[i], args[++i])) throw new UsageException($"explain: {args[i - 1]} is given twice");
            }
            foreach (string required in known[..3])
                if (!values.ContainsKey(required)) throw new UsageException($"explain: {required} is required");
            JsonObject? kwargs = null;
            if (values.TryGetValue("--kwargs", out string? json))
            {
                if (!values.ContainsKey("--call")) throw new UsageException("explain: --kwargs needs --call");
                try { kwargs = JsonNode.Parse(json) as JsonObject ?? throw new UsageException($"explain: --kwargs {json} is not a JSON object"); }
                catch (JsonException e) { throw new UsageException($"explain: --kwargs is not valid JSON: {e.Message}"); }
            }
            int limit = 50_000;
            if (values.TryGetValue("--limit", out string? text) && (!int.TryParse(text, out limit) || limit < 1))
                throw new UsageException($"explain: --limit '{text}' is not a positive integer");
            return new Options(values["--input"], values["--kernel"], values["--output"], values.GetValueOrDefault("--call"), kwargs, limit);
        }
    }

    /// <summary>Runs the search and prints the explanation. Exit 0: some convention reproduces y; 1: none does; 2: bad input.</summary>
    public static int Run(Options options, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        FixtureArray x, w, y;
        try
        {
            (x, w, y) = (NpyFile.Read(options.Input), NpyFile.Read(options.Kernel), NpyFile.Read(options.Output));
        }
        catch (FixtureException e)
        {
            errors.WriteLine($"convparity explain: {e.Message}");
            return ExitCodes.BadArguments;
        }
        // An empty array, or a 0-d input or kernel, has nothing to convolve; a 0-d output is a scalar answer (numpy.sum).
        foreach (var (option, path, array, scalarAllowed) in new[]
                 { ("--input", options.Input, x, false), ("--kernel", options.Kernel, w, false), ("--output", options.Output, y, true) })
            if (array.Tensor.Length == 0 || (array.Tensor.Rank == 0 && !scalarAllowed))
            {
                string what = array.Tensor.Length == 0
                    ? $"empty (shape [{Tensor.FormatShape(array.Tensor.Shape)}])"
                    : "a 0-d array (a single number, no axes)";
                errors.WriteLine($"convparity explain: {option} {path} is {what}; there is nothing to convolve");
                return ExitCodes.BadArguments;
            }
        Action<int, int>? progress = Console.IsErrorRedirected ? null : (done, total) => errors.Write($"\rtrying conventions: {done}/{total}");
        Explanation explanation;
        try
        {
            explanation = ConventionSearch.Explain(x.Tensor, w.Tensor, y.Tensor, options.Call, options.Kwargs, options.Limit, progress);
        }
        catch (Exception e) when (e is UnsupportedCallException or ArgumentException)
        {
            errors.WriteLine($"convparity explain: {e.Message}");
            return ExitCodes.BadArguments;
        }
        if (progress is not null) errors.WriteLine();
        output.Write(explanation.ToString());
        return explanation.Found ? ExitCodes.Passed : ExitCodes.Failed;
    }
}
