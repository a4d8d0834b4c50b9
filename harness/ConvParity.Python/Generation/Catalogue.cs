namespace ConvParity.Python.Generation;

/// <summary>
/// The catalogue of generated cases: for each suite (numpy, scipy, theano, torch) a deterministic grid that
/// covers every call of docs/fixtures.md version 1 and every value of its keyword arguments, then seeded random
/// draws. The same sketches feed the generator, its --check and the live tests, so a case means the
/// same thing everywhere: the call, its arrays and its kwargs.
/// </summary>
public static class Catalogue
{
    /// <summary>The default seed of the generator.</summary>
    public const int DefaultSeed = 1;

    /// <summary>The suites the generator writes.</summary>
    public static IReadOnlyList<string> Suites { get; } = ["numpy", "scipy", "theano", "torch"];

    /// <summary>The calls a suite covers.</summary>
    /// <exception cref="ArgumentException">No such suite.</exception>
    public static IReadOnlyList<string> Calls(string suite) =>
        suite switch
        {
            "numpy" => NumpyCatalogue.Calls,
            "scipy" => ScipyCatalogue.Calls,
            "theano" => TheanoCatalogue.Calls,
            "torch" => TorchCatalogue.Calls,
            _ => throw UnknownSuite(suite),
        };

    /// <summary>How many random draws per call a suite adds after its grid.</summary>
    public static int DrawsPerCall(string suite) =>
        suite switch
        {
            "numpy" => 10,
            "scipy" => 6,
            "theano" => 15,
            "torch" => 3,
            _ => throw UnknownSuite(suite),
        };

    /// <summary>Every case of <paramref name="suite"/>: the grid, then the draws, ids and values fixed by <paramref
    /// name="seed"/>.</summary>
    /// <exception cref="ArgumentException">No such suite.</exception>
    public static IReadOnlyList<GeneratedCase> For(string suite, int seed)
    {
        var grid = suite switch
        {
            "numpy" => NumpyCatalogue.Grid(),
            "scipy" => ScipyCatalogue.Grid(),
            "theano" => TheanoCatalogue.Grid(),
            "torch" => TorchCatalogue.Grid(),
            _ => throw UnknownSuite(suite),
        };
        var sketches = grid.ToList();
        var drawRandom = new Random(Mix(seed, -1));
        foreach (string call in Calls(suite))
            for (int i = 0; i < DrawsPerCall(suite); i++)
                sketches.Add(Sketch(call, drawRandom));
        // Cases added to a suite later come after its draws, so the ids and values of the others stay as they were.
        if (suite == "scipy")
            sketches.AddRange(ScipyCatalogue.Later());
        if (suite == "theano")
            sketches.AddRange(TheanoCatalogue.Later());

        var cases = new List<GeneratedCase>(sketches.Count);
        for (int index = 0; index < sketches.Count; index++)
        {
            var sketch = sketches[index];
            cases.Add(
                new GeneratedCase(
                    $"{sketch.Call}/{sketch.Tag}/{index:D4}",
                    $"{index:D4}.npz",
                    sketch.Draw(new Random(Mix(seed, index))),
                    $"{(sketch.Tag.StartsWith("random", StringComparison.Ordinal) ? "seeded random draw" : "grid")}; "
                        + "values: standard normal float32"
                )
            );
        }
        return cases;
    }

    /// <summary>A random problem for <paramref name="call"/>, shape, kwargs and values fixed by <paramref name="seed"/>
    /// (for live tests).</summary>
    /// <exception cref="ArgumentException">The call is in no suite.</exception>
    public static LibraryCall Draw(string call, int seed)
    {
        ArgumentNullException.ThrowIfNull(call);
        var random = new Random(Mix(seed, call.Length));
        return Sketch(call, random).Draw(random);
    }

    /// <summary>The sketch of a random problem for <paramref name="call"/> (its shapes and kwargs).</summary>
    public static CaseSketch Sketch(string call, Random random)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (NumpyCatalogue.Calls.Contains(call))
            return NumpyCatalogue.Draw(call, random);
        if (ScipyCatalogue.Calls.Contains(call))
            return ScipyCatalogue.Draw(call, random);
        if (TheanoCatalogue.Calls.Contains(call))
            return TheanoCatalogue.Draw(call, random);
        if (TorchCatalogue.Calls.Contains(call))
            return TorchCatalogue.Draw(call, random);
        throw new ArgumentException(
            $"'{call}' is in no suite of the catalogue (suites: {string.Join(", ", Suites)}).",
            nameof(call)
        );
    }

    /// <summary>A seed for one case, stable across .NET versions (System.Random with a seed is).</summary>
    private static int Mix(int seed, int index) => unchecked(seed * 1_000_003 + index * 7_919 + 17);

    private static ArgumentException UnknownSuite(string suite) =>
        new($"no suite is called '{suite}' (suites: numpy, scipy, theano, torch).", nameof(suite));
}
