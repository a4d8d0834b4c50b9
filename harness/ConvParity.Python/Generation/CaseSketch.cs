using System.Text.Json.Nodes;
using ConvParity.Tensors;

namespace ConvParity.Python.Generation;

/// <summary>A case before its values are drawn: the call, its arrays' names and shapes, its kwargs, and a tag for the id.</summary>
/// <param name="Call">The fully qualified library function.</param>
/// <param name="Args">The positional arrays, by the library's names, with their shapes.</param>
/// <param name="Kwargs">Every convention-relevant keyword argument, explicitly.</param>
/// <param name="Tag">What makes the case interesting, in a few path-like words ("same/fft/in1 9/in2 4").</param>
public sealed record CaseSketch(string Call, IReadOnlyList<(string Name, int[] Shape)> Args, JsonObject Kwargs, string Tag)
{
    /// <summary>Fills the arrays with standard normal float32 values drawn from <paramref name="random"/>.</summary>
    public LibraryCall Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var tensors = Args.Select(a =>
        {
            var data = new float[Tensor.ElementCount(a.Shape, a.Name)];
            for (int i = 0; i < data.Length; i++) data[i] = (float)Normal(random);
            return new Tensor(data, a.Shape);
        }).ToList();
        // Read back from JSON text, so the kwargs are exactly what a manifest holds and a convention reads.
        return new LibraryCall(Call, [.. Args.Select(a => a.Name)], tensors, (JsonObject)JsonNode.Parse(Kwargs.ToJsonString())!);
    }

    /// <summary>A standard normal value (Box-Muller): deterministic for a seeded <see cref="Random"/>.</summary>
    internal static double Normal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

/// <summary>One case of a generated suite: a stable id, its .npz name, the call on its arrays, and a note.</summary>
/// <param name="Id">Unique within the suite and stable across regenerations with the same seed.</param>
/// <param name="File">The .npz file name.</param>
/// <param name="Call">The call with its arrays.</param>
/// <param name="Note">Free text for the manifest.</param>
public sealed record GeneratedCase(string Id, string File, LibraryCall Call, string Note);

/// <summary>Small helpers for writing catalogues tersely.</summary>
internal static class Sketch
{
    /// <summary>A JSON list of integers.</summary>
    public static JsonArray Ints(params int[] values) => [.. values.Select(v => (JsonNode)v)];

    /// <summary>A JSON list of [before, after] pairs.</summary>
    public static JsonArray Pairs(params (int Before, int After)[] pairs) => [.. pairs.Select(p => (JsonNode)Ints(p.Before, p.After))];

    /// <summary>"9" or "6x5": a shape in an id.</summary>
    public static string Dims(int[] shape) => string.Join("x", shape);

    /// <summary>A JSON value as it reads in an id: strings bare, lists compact.</summary>
    public static string Text(JsonNode? value) => value switch
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
