using System.Text.Json.Nodes;

namespace ConvParity.Python.Generation;

/// <summary>numpy.convolve and numpy.correlate: every mode on every length relation (a longer, v longer, equal, length
/// 1), even and odd.</summary>
internal static class NumpyCatalogue
{
    public static readonly string[] Calls = ["numpy.convolve", "numpy.correlate"];
    private static readonly string[] Modes = ["full", "same", "valid"];

    public static IEnumerable<CaseSketch> Grid()
    {
        (int A, int V)[] lengths = [(7, 3), (7, 4), (3, 7), (4, 7), (5, 5), (6, 6), (1, 1), (1, 5), (6, 1)];
        foreach (string call in Calls)
        foreach (string mode in Modes)
        foreach (var (a, v) in lengths)
            yield return Case(call, mode, a, v, "grid");
    }

    public static CaseSketch Draw(string call, Random random) =>
        Case(call, random.Pick(Modes), random.Next(1, 13), random.Next(1, 13), "random");

    private static CaseSketch Case(string call, string mode, int a, int v, string kind) =>
        new(call, [("a", [a]), ("v", [v])], new JsonObject { ["mode"] = mode }, $"{kind}/{mode}/a{a}/v{v}");
}
