using System.Text.Json.Nodes;

namespace ConvParity.Python.Generation;

/// <summary>Small helpers for writing catalogues tersely.</summary>
internal static class Sketch
{
    /// <summary>A JSON list of integers.</summary>
    public static JsonArray Ints(params int[] values) => [.. values.Select(v => (JsonNode)v)];

    /// <summary>A JSON list of [before, after] pairs.</summary>
    public static JsonArray Pairs(params (int Before, int After)[] pairs) =>
        [.. pairs.Select(p => (JsonNode)Ints(p.Before, p.After))];

    /// <summary>"9" or "6x5": a shape in an id.</summary>
    public static string Dims(int[] shape) => string.Join("x", shape);

    /// <summary>A JSON value as it reads in an id: strings bare, lists compact.</summary>
    public static string Text(JsonNode? value) =>
        value switch
        {
            null => "None",
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
            _ => value.ToJsonString().Replace("\"", "", StringComparison.Ordinal),
        };

    /// <summary>A uniformly chosen element.</summary>
    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>true with probability <paramref name="p"/>.</summary>
    public static bool Chance(this Random random, double p) => random.NextDouble() < p;
}
