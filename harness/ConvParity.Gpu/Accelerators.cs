namespace ConvParity.Gpu;

/// <summary>Names, parsing and the automatic choice of an <see cref="AcceleratorKind"/>.</summary>
public static class Accelerators
{
    /// <summary>The environment variable that picks the accelerator when no command-line option does.</summary>
    public const string EnvironmentVariable = "CONVPARITY_ACCELERATOR";

    /// <summary>The name of a kind on the command line and in <see cref="EnvironmentVariable"/>: cuda, opencl,
    /// cpu.</summary>
    public static string NameOf(AcceleratorKind kind) =>
        kind switch
        {
            AcceleratorKind.Cuda => "cuda",
            AcceleratorKind.OpenCL => "opencl",
            AcceleratorKind.Cpu => "cpu",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

    /// <summary>How people write the kind: CUDA, OpenCL, CPU.</summary>
    public static string DisplayName(AcceleratorKind kind) =>
        kind == AcceleratorKind.OpenCL ? "OpenCL" : NameOf(kind).ToUpperInvariant();

    /// <summary>Every name, in order of preference.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Enum.GetValues<AcceleratorKind>().Select(NameOf)];

    /// <summary>
    /// Reads an accelerator name (case-insensitive). Null, empty or "auto" mean no preference (null):
    /// the first kind present in the order of <see cref="AcceleratorKind"/>.
    /// </summary>
    /// <param name="text">The name to read.</param>
    /// <param name="source">Where the name came from (an option or a variable), for the error message.</param>
    /// <exception cref="ArgumentException">The name is none of cuda, opencl, cpu, auto.</exception>
    public static AcceleratorKind? Parse(string? text, string source)
    {
        string name = text?.Trim() ?? "";
        if (name.Length == 0 || name.Equals("auto", StringComparison.OrdinalIgnoreCase))
            return null;
        foreach (var kind in Enum.GetValues<AcceleratorKind>())
            if (name.Equals(NameOf(kind), StringComparison.OrdinalIgnoreCase))
                return kind;
        throw new ArgumentException(
            $"{source}: '{text}' is not an accelerator; use one of {string.Join(", ", Names)} (or auto)."
        );
    }

    /// <summary>The accelerator asked for by <see cref="EnvironmentVariable"/>, or null when it is unset or
    /// "auto".</summary>
    /// <exception cref="ArgumentException">The variable holds something else than cuda, opencl, cpu or
    /// auto.</exception>
    public static AcceleratorKind? FromEnvironment() =>
        Parse(Environment.GetEnvironmentVariable(EnvironmentVariable), EnvironmentVariable);

    /// <summary>
    /// The kind to use among those <paramref name="present"/>: the one <paramref name="requested"/>, or with
    /// no request the first of CUDA, OpenCL, CPU. A request for a kind that is not present is an error,
    /// never a silent fallback to another.
    /// </summary>
    /// <exception cref="AcceleratorUnavailableException">The requested kind, or any kind, is not present.</exception>
    public static AcceleratorKind Choose(AcceleratorKind? requested, IReadOnlyCollection<AcceleratorKind> present)
    {
        ArgumentNullException.ThrowIfNull(present);
        string presentNames = present.Count == 0 ? "none" : string.Join(", ", present.Order().Select(NameOf));
        if (requested is { } kind)
            return present.Contains(kind)
                ? kind
                : throw new AcceleratorUnavailableException(
                    $"the {NameOf(kind)} accelerator was asked for, "
                        + $"but ILGPU finds no {DisplayName(kind)} device on this machine "
                        + $"(accelerators present: {presentNames}); "
                        + $"ask for one of those with --accelerator or {EnvironmentVariable}, "
                        + "or leave both unset to take the first of cuda, opencl, cpu that is present."
                );
        return present.Count > 0
            ? present.Min()
            : throw new AcceleratorUnavailableException(
                "ILGPU finds no accelerator at all on this machine, not even its CPU accelerator."
            );
    }
}
