using System.CommandLine;
using ConvParity.Fixtures;
using ConvParity.Python;
using ConvParity.Python.Generation;

namespace ConvParity.Cli;

/// <summary>
/// <c>convparity generate</c>: writes a reference suite with the live libraries (<c>--suite --out</c>),
/// and/or answers a stored suite's cases again and reports drift (<c>--check</c>).
/// </summary>
public sealed class GenerateCommand : Command
{
    /// <summary>What <c>generate --help</c> says, exit codes included.</summary>
    public const string Help = """
        Writes a reference suite (docs/fixtures.md format) with the real libraries through embedded Python: a
        grid over every call and keyword value, then seeded random draws; --suite onnx imports the ONNX authors' node
        tests for Conv and ConvTranspose instead (--from DIR, default the libonnx-testdata folder). OUT is written whole
        or not at all; an
        existing OUT needs --force. --spec FILE writes the cases of your own spec (docs/case-spec.md) to --out DIR,
        or with --update DIR adds the cases the spec gained, removes those it lost and keeps the others byte for
        byte. --check answers every case of a stored suite again with the live libraries
        and reports drift per case, judged under the float32 error bound.
        Python: CONVPARITY_PYTHON (an interpreter) or PYTHONNET_PYDLL (a libpython), else /usr/bin/python3.
        Exit codes: 0 written / no drift; 1 drift, or a library call failed; 2 bad arguments, an unreadable
        suite, an existing OUT, or Python, numpy or the suite's library missing; 3 some calls not available or
        unsupported.
        """;

    /// <summary>The suites --suite writes: the catalogues', and the imported onnx suite.</summary>
    public static IReadOnlyList<string> Suites { get; } = [.. Catalogue.Suites, OnnxNodeTests.Suite];

    private readonly Option<string> _suite = new("--suite")
    {
        Description = $"The suite to write: {string.Join(", ", Suites)} (with --out).",
        HelpName = "NAME",
    };

    private readonly Option<string> _from = new("--from")
    {
        Description = $"With --suite onnx: the ONNX node tests folder (default {OnnxNodeTests.DefaultSource}).",
        HelpName = "DIR",
    };

    private readonly Option<string> _spec = new("--spec")
    {
        Description =
            "A case spec (docs/case-spec.md) to write (with --out) "
            + "or to bring a suite up to date with (with --update).",
        HelpName = "FILE",
    };

    private readonly Option<string> _update = new("--update")
    {
        Description =
            "A suite written from --spec: add the cases the spec gained, "
            + "remove those it lost, keep the rest as they are.",
        HelpName = "DIR",
    };

    private readonly Option<string> _out = new("--out")
    {
        Description = "The folder to write (with --suite).",
        HelpName = "DIR",
    };

    private readonly Option<int> _seed = new("--seed")
    {
        Description = "The seed of the catalogue's random draws.",
        HelpName = "N",
        DefaultValueFactory = _ => Catalogue.DefaultSeed,
    };

    private readonly Option<bool> _force = new("--force") { Description = "Replace an existing --out folder." };

    private readonly Option<string> _check = new("--check")
    {
        Description = "A stored suite to answer again with the live libraries: drift?",
        HelpName = "DIR",
    };

    private readonly Option<long> _maxCaseBytes = SuiteOptions.CaseCap();

    /// <summary>Declares <c>generate</c> and its options.</summary>
    public GenerateCommand()
        : base("generate", Help)
    {
        Add(_suite);
        Add(_spec);
        Add(_update);
        Add(_out);
        Add(_from);
        Add(_seed);
        Add(_force);
        Add(_check);
        Add(_maxCaseBytes);
        _suite.Validators.Add(result =>
        {
            string? suite = result.GetValueOrDefault<string>();
            if (suite is not null && !Suites.Contains(suite))
                result.AddError($"generate: no suite is called '{suite}' (suites: {string.Join(", ", Suites)})");
        });
        Validators.Add(result =>
        {
            bool suite = result.GetResult(_suite) is not null,
                output = result.GetResult(_out) is not null;
            bool spec = result.GetResult(_spec) is not null,
                update = result.GetResult(_update) is not null;
            bool onnx = result.GetValue(_suite) == OnnxNodeTests.Suite;
            if (suite && spec)
                result.AddError("generate: give --suite or --spec, not both");
            else if (result.GetResult(_from) is not null && !onnx)
                result.AddError("generate: --from goes with --suite onnx");
            else if (onnx && result.GetResult(_seed) is { Implicit: false })
                result.AddError("generate: --seed is for the catalogues' draws; the onnx suite is imported as it is");
            else if (update && !spec)
                result.AddError("generate: --update goes with --spec");
            else if (update && output)
                result.AddError("generate: give --out (write anew) or --update (bring up to date), not both");
            else if (spec && !output && !update)
                result.AddError("generate: --spec goes with --out DIR or --update DIR");
            else if (spec && result.GetResult(_seed) is { Implicit: false })
                result.AddError("generate: --seed is for --suite; a spec gives its own seeds");
            else if (update && result.GetResult(_force) is { Implicit: false })
                result.AddError(
                    "generate: --force is for --out; --update always replaces its folder, keeping unchanged cases"
                );
            else if (!spec && suite != output)
                result.AddError("generate: --suite and --out go together");
            else if (!output && !update && result.GetResult(_check) is null)
                result.AddError("generate: give --suite and --out to write a suite, --check DIR to check one, or both");
        });
        SetAction(result =>
        {
            var options = new Settings(
                result.GetValue(_suite),
                result.GetValue(_out),
                result.GetValue(_seed),
                result.GetValue(_force),
                result.GetValue(_check),
                result.GetValue(_maxCaseBytes)
            )
            {
                Spec = result.GetValue(_spec),
                Update = result.GetValue(_update),
                From = result.GetValue(_from),
            };
            return Run(options, result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
        });
    }

    /// <summary>The arguments of <c>generate</c>, as parsed.</summary>
    /// <param name="Suite">numpy, scipy or theano; with <paramref name="Out"/>.</param>
    /// <param name="Out">The folder to write.</param>
    /// <param name="Seed">The catalogue's seed.</param>
    /// <param name="Force">Replace an existing folder.</param>
    /// <param name="Check">A stored suite to check for drift.</param>
    /// <param name="MaxCaseBytes">The cap on one stored case from --max-case-bytes (<see cref="CaseLimits"/>).</param>
    public sealed record Settings(
        string? Suite,
        string? Out,
        int Seed,
        bool Force,
        string? Check,
        long MaxCaseBytes = CaseLimits.DefaultMaxCaseBytes
    )
    {
        /// <summary>A case spec to write to <see cref="Out"/> or to bring <see cref="Update"/> up to date
        /// with.</summary>
        public string? Spec { get; init; }

        /// <summary>A suite written from <see cref="Spec"/> to bring up to date.</summary>
        public string? Update { get; init; }

        /// <summary>With the onnx suite: the ONNX node tests folder; null for <see
        /// cref="OnnxNodeTests.DefaultSource"/>.</summary>
        public string? From { get; init; }
    }

    /// <summary>Runs the command. Exit codes: see <see cref="ExitCodes"/>.</summary>
    public static int Run(Settings options, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        FixtureSuite? stored = null;
        if (options.Check is not null)
        {
            try
            {
                stored = FixtureSuite.Load(options.Check, options.MaxCaseBytes);
            }
            catch (FixtureException e)
            {
                errors.WriteLine($"convparity generate: unreadable suite: {e.Message}");
                return ExitCodes.BadArguments;
            }
        }
        CaseSpec? spec = null;
        try
        {
            spec = options.Spec is null ? null : CaseSpec.Load(options.Spec);
        }
        catch (CaseSpecException e)
        {
            errors.WriteLine($"convparity generate: bad spec: {e.Message}");
            return ExitCodes.BadArguments;
        }
        OutputFolder? folder = null; // claimed before Python starts: a bad or busy --out is refused at once
        try
        {
            folder =
                options.Update is { } update ? SuiteWriter.Claim(update, force: true)
                : options.Out is null ? null
                : SuiteWriter.Claim(options.Out, options.Force);
            if (spec is not null && options.Update is not null)
                SpecSuite.Plan(spec, folder!.Target); // not a spec's suite: refused now
        }
        catch (GenerationException e)
        {
            folder?.Dispose();
            errors.WriteLine($"convparity generate: {e.Message}");
            return ExitCodes.BadArguments;
        }
        using (folder)
            return Run(options, spec, stored, folder, output, errors);
    }

    private static int Run(
        Settings options,
        CaseSpec? spec,
        FixtureSuite? stored,
        OutputFolder? folder,
        TextWriter output,
        TextWriter errors
    )
    {
        if (!LiveReference.TryStart(out var live, out string? reason))
        {
            errors.WriteLine($"convparity generate: {reason}");
            return ExitCodes.BadArguments;
        }
        errors.WriteLine($"live reference: {live!.Runtime}, started in {live.Runtime.Startup.TotalSeconds:F2} s");

        int status = ExitCodes.Passed;
        if (folder is not null)
        {
            status = Generate(live, options, spec, folder, output, errors);
            if (status is ExitCodes.Failed or ExitCodes.BadArguments)
                return status;
        }
        if (stored is not null)
        {
            if (options.Out is not null)
                CompareCaseLists(options.Out, stored, output);
            status = Worst(status, Check(live, stored, output, errors));
        }
        return status;
    }

    private static int Generate(
        LiveReference live,
        Settings options,
        CaseSpec? spec,
        OutputFolder folder,
        TextWriter output,
        TextWriter errors
    )
    {
        GenerationReport report;
        SpecPlan? plan = null;
        try
        {
            if (options.Suite == OnnxNodeTests.Suite)
                report = OnnxNodeTests.Write(
                    live,
                    options.From ?? OnnxNodeTests.DefaultSource,
                    folder,
                    errors,
                    options.MaxCaseBytes
                );
            else if (spec is null)
                report = SuiteWriter.Generate(live, options.Suite!, options.Seed, folder, errors);
            else
                (report, plan) = SpecSuite.Write(live, spec, folder, options.Update is not null, errors);
        }
        catch (GenerationException e)
        {
            errors.WriteLine($"convparity generate: {e.Message}");
            return ExitCodes.BadArguments;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"convparity generate: cannot write {folder.Target}: {e.Message}; nothing was written.");
            return ExitCodes.BadArguments;
        }
        catch (PythonCallException e)
        {
            errors.WriteLine($"convparity generate: {e}");
            errors.WriteLine("nothing was written.");
            return ExitCodes.Failed;
        }
        foreach (var u in report.Unavailable)
            output.WriteLine($"NOT AVAILABLE {u.Call} ({u.Cases} cases left out): {u.Reason}");
        foreach (var s in report.Skipped)
            output.WriteLine($"SKIPPED {s.Name}: {s.Reason}");
        foreach (var r in report.Refused)
            output.WriteLine($"REFUSED {r.Id}: {r.Raises} (written as a raises case)");
        if (options.Suite == OnnxNodeTests.Suite)
            output.WriteLine(
                $"wrote {report.Cases} cases of the onnx suite (the ONNX authors' node tests, {report.Skipped.Count} "
                    + $"folders skipped) to {report.Directory}"
            );
        else if (spec is null)
            output.WriteLine(
                $"wrote {report.Cases} cases of the {options.Suite} suite (seed {options.Seed}) to {report.Directory}, "
                    + $"{report.Refused.Count} of them refused by the library"
            );
        else if (options.Update is null)
            output.WriteLine(
                $"wrote {report.Cases} cases of {spec.Path} to {report.Directory}, "
                    + $"{report.Refused.Count} of them refused by the library"
            );
        else
            output.WriteLine(
                $"updated {report.Directory} from {spec.Path}: {plan!.Kept.Count} cases kept as they were, "
                    + $"{report.Cases - plan.Kept.Count} added "
                    + $"({report.Refused.Count} of them refused by the library), "
                    + $"{plan.Removed.Count} removed"
            );
        return report.Unavailable.Count > 0 ? ExitCodes.Unsupported : ExitCodes.Passed;
    }

    private static int Check(LiveReference live, FixtureSuite suite, TextWriter output, TextWriter errors)
    {
        var results = DriftCheck.Run(
            live,
            suite,
            (done, total) => errors.WriteLine($"{suite.Name}: {done}/{total} cases answered again")
        );
        foreach (var r in results.Where(r => r.Outcome != DriftOutcome.Unchanged))
        {
            string label = r.Outcome switch
            {
                DriftOutcome.Drifted => "DRIFT",
                DriftOutcome.NotAvailable => "NOT AVAILABLE",
                DriftOutcome.Unsupported => "UNSUPPORTED",
                _ => "FAILED",
            };
            output.WriteLine($"{label} {r.CaseId}: {r.Message}");
        }
        int Count(DriftOutcome o) => results.Count(r => r.Outcome == o);
        output.WriteLine(
            $"drift check of {suite.Name} ({suite.Directory}) against the live libraries, "
                + "judged under the float32 error bound:"
        );
        output.WriteLine(
            $"{Count(DriftOutcome.Unchanged)} unchanged, {Count(DriftOutcome.Drifted)} drifted, "
                + $"{Count(DriftOutcome.Failed)} failed, "
                + $"{Count(DriftOutcome.NotAvailable)} not available, {Count(DriftOutcome.Unsupported)} unsupported"
        );
        return Count(DriftOutcome.Drifted) + Count(DriftOutcome.Failed) > 0 ? ExitCodes.Failed
            : Count(DriftOutcome.NotAvailable) + Count(DriftOutcome.Unsupported) > 0 ? ExitCodes.Unsupported
            : ExitCodes.Passed;
    }

    /// <summary>Says whether the freshly written suite has the same case ids as the checked one (a changed catalogue or
    /// seed shows here).</summary>
    private static void CompareCaseLists(string written, FixtureSuite stored, TextWriter output)
    {
        var fresh = FixtureSuite.Load(written).Cases.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var old = stored.Cases.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        int onlyFresh = fresh.Count(id => !old.Contains(id)),
            onlyOld = old.Count(id => !fresh.Contains(id));
        output.WriteLine(
            onlyFresh + onlyOld == 0
                ? $"the regenerated suite has the same {fresh.Count} case ids as {stored.Directory}"
                : $"the regenerated suite differs from {stored.Directory}: {onlyFresh} case ids only in the new one, "
                    + $"{onlyOld} only in the stored one (catalogue or seed changed)"
        );
    }

    private static int Worst(int a, int b) =>
        new[] { ExitCodes.BadArguments, ExitCodes.Failed, ExitCodes.Unsupported }.FirstOrDefault(
            c => a == c || b == c,
            ExitCodes.Passed
        );
}
