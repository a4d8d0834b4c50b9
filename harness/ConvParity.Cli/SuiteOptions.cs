using System.CommandLine;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Gpu;

namespace ConvParity.Cli;

/// <summary>
/// The options <c>check</c> and <c>report</c> share: which suites (<c>--fixtures DIR...</c>, <c>--bundled NAME...</c>)
/// through which engines (<c>--engine NAME</c>, repeatable) on which accelerator (<c>--accelerator</c>).
/// </summary>
internal sealed class SuiteOptions
{
    private readonly string _command;
    private readonly IReadOnlyList<string> _engineNames;

    /// <summary>Suite folders in the convparity.fixtures/1 format.</summary>
    public Option<string[]> Fixtures { get; } =
        new("--fixtures")
        {
            Description = "Suite folders in the convparity.fixtures/1 format (docs/fixtures.md), one or more.",
            HelpName = "DIR",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };

    /// <summary>Suites bundled with the tool (the ConvParity.References package), by name.</summary>
    public Option<string[]> Bundled { get; } =
        new("--bundled")
        {
            Description =
                "Suites shipped with convparity, by name: "
                + (BundledSuites.Names.Count == 0 ? "none here." : string.Join(", ", BundledSuites.Names) + "."),
            HelpName = "NAME",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = true,
        };

    /// <summary>Engines to run; all when not given.</summary>
    public Option<string[]> Engine { get; } = new("--engine") { HelpName = "NAME" };

    /// <summary>The gpu engine's device.</summary>
    public Option<AcceleratorKind?> Accelerator { get; } =
        new("--accelerator")
        {
            Description =
                "The gpu engine's device: cuda, opencl or cpu (default: $CONVPARITY_ACCELERATOR, else the first "
                + "present of cuda, opencl, cpu). One that is not present is an error, never a fallback.",
            HelpName = "KIND",
            CustomParser = result =>
            {
                try
                {
                    return Accelerators.Parse(result.Tokens[0].Value, "--accelerator");
                }
                catch (ArgumentException e)
                {
                    result.AddError(e.Message);
                    return null;
                }
            },
        };

    /// <summary>The most memory one case may take while it is checked (<see cref="CaseLimits"/>).</summary>
    public Option<long> MaxCaseBytes { get; } = CaseCap();

    /// <summary>
    /// <c>--max-case-bytes N</c> (K, M, G suffixes): the per-case cap, shared by check, report and generate --check.
    /// </summary>
    internal static Option<long> CaseCap() =>
        new(CaseLimits.Option)
        {
            Description =
                "The most memory one case may take while checked, estimated from its declared shapes before "
                + "anything is read (48 bytes per element): a count, or with K, M, G (default 1G). A case above it "
                + "fails with its reason and the others are checked.",
            HelpName = "N",
            DefaultValueFactory = _ => CaseLimits.DefaultMaxCaseBytes,
            CustomParser = result => ParseBytes(result, ""),
        };

    /// <summary>An option's byte count (a count, or with K, M, G); a bad one is the option's error, after <paramref
    /// name="prefix"/>.</summary>
    internal static long ParseBytes(System.CommandLine.Parsing.ArgumentResult result, string prefix)
    {
        try
        {
            return CaseLimits.ParseBytes(result.Tokens[0].Value);
        }
        catch (ArgumentException e)
        {
            result.AddError(prefix + e.Message);
            return 0;
        }
    }

    /// <summary>Declares the options on <paramref name="command"/>; engine names are checked against <paramref
    /// name="catalog"/>.</summary>
    public SuiteOptions(Command command, EngineCatalog catalog)
    {
        _command = command.Name;
        _engineNames = catalog.Names;
        Engine.Description = $"An engine to run, repeatable: {string.Join(", ", _engineNames)} (default: all).";
        Engine.Validators.Add(result =>
        {
            foreach (string name in result.GetValueOrDefault<string[]>() ?? [])
                if (!_engineNames.Contains(name))
                {
                    result.AddError(
                        $"{_command}: no engine is called '{name}' (engines: {string.Join(", ", _engineNames)})"
                    );
                }
        });
        Bundled.Validators.Add(result =>
        {
            foreach (string name in result.GetValueOrDefault<string[]>() ?? [])
            {
                try
                {
                    BundledSuites.Folder(name);
                }
                catch (FixtureException e)
                {
                    result.AddError($"{_command}: --bundled {name}: {e.Reason}");
                }
            }
        });
        command.Options.Add(Fixtures);
        command.Options.Add(Bundled);
        command.Options.Add(Engine);
        command.Options.Add(Accelerator);
        command.Options.Add(MaxCaseBytes);
        command.Validators.Add(result =>
        {
            if (result.GetResult(Fixtures) is null && result.GetResult(Bundled) is null)
                result.AddError($"{_command}: give the suites with --fixtures DIR... or --bundled NAME...");
        });
    }

    /// <summary>The suites (folders, then bundled ones), the engines (all when none is given), the
    /// accelerator.</summary>
    public CheckCommand.Settings Bind(ParseResult result)
    {
        string[] folders = result.GetValue(Fixtures) ?? [];
        string[] bundled = result.GetValue(Bundled) ?? [];
        string[] engines = result.GetValue(Engine) ?? [];
        return new CheckCommand.Settings(
            [.. folders, .. bundled.Select(BundledSuites.Folder)],
            engines.Length == 0 ? _engineNames : [.. engines.Distinct()],
            result.GetValue(Accelerator),
            result.GetValue(MaxCaseBytes)
        );
    }
}
