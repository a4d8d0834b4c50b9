namespace ConvParity.Tests;

/// <summary>Case spec texts (docs/case-spec.md) for the tests that parse or generate them.</summary>
public static class CaseSpecs
{
    /// <summary>One plain entry: scipy.signal.correlate2d of a 6x5 input with a 3x3 kernel.</summary>
    public const string Conv = """
        {"name": "conv", "call": "scipy.signal.correlate2d",
         "args": [{"name": "in1", "shape": [6, 5]}, {"name": "in2", "shape": [3, 3]}]}
        """;

    /// <summary>A spec whose only entry is <paramref name="entry"/>, or with <paramref name="top"/> keys added to the
    /// top level.</summary>
    public static string Spec(string entry = Conv, string top = "") =>
        $$"""{"format": "convparity.spec/1", "suite": "mine", {{top}} "cases": [{{entry}}]}""";
}
