namespace ConvParity.Engines;

/// <summary>The engines a program offers, by name.</summary>
public sealed class EngineCatalog
{
    private readonly Dictionary<string, Func<IConvEngine>> _factories = new(StringComparer.Ordinal);

    /// <summary>A catalog with the engines of this assembly (the CPU reference engine).</summary>
    public static EngineCatalog WithBuiltIns() =>
        new EngineCatalog().Add(ReferenceEngine.EngineName, () => new ReferenceEngine());

    /// <summary>Adds an engine under <paramref name="name"/>.</summary>
    public EngineCatalog Add(string name, Func<IConvEngine> factory)
    {
        _factories.Add(name, factory);
        return this;
    }

    /// <summary>The names, in the order they were added.</summary>
    public IReadOnlyList<string> Names => [.. _factories.Keys];

    /// <summary>Creates the engine called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No engine has that name; the message lists the names there are.</exception>
    public IConvEngine Create(string name) =>
        _factories.TryGetValue(name, out var factory)
            ? factory()
            : throw new ArgumentException(
                $"no engine is called '{name}' (engines: {string.Join(", ", _factories.Keys)})",
                nameof(name)
            );
}
