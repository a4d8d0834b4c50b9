using System.Text.Json.Nodes;
using ConvParity.Tensors;

namespace ConvParity.Python.Generation;

/// <summary>A case before its values are drawn: the call, its arrays' names and shapes, its kwargs, and a tag for the
/// id.</summary>
/// <param name="Call">The fully qualified library function.</param>
/// <param name="Args">The positional arrays, by the library's names, with their shapes.</param>
/// <param name="Kwargs">Every convention-relevant keyword argument, explicitly.</param>
/// <param name="Tag">What makes the case interesting, in a few path-like words ("same/fft/in1 9/in2 4").</param>
public sealed record CaseSketch(
    string Call,
    IReadOnlyList<(string Name, int[] Shape)> Args,
    JsonObject Kwargs,
    string Tag
)
{
    /// <summary>Fills the arrays with standard normal float32 values drawn from <paramref name="random"/>.</summary>
    public LibraryCall Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var tensors = Args.Select(a =>
            {
                var data = new float[Tensor.ElementCount(a.Shape, a.Name)];
                for (int i = 0; i < data.Length; i++)
                    data[i] = (float)Normal(random);
                return new Tensor(data, a.Shape);
            })
            .ToList();
        // Read back from JSON text, so the kwargs are exactly what a manifest holds and a convention reads.
        return new LibraryCall(
            Call,
            [.. Args.Select(a => a.Name)],
            tensors,
            (JsonObject)JsonNode.Parse(Kwargs.ToJsonString())!
        );
    }

    /// <summary>A standard normal value (Box-Muller): deterministic for a seeded <see cref="Random"/>.</summary>
    internal static double Normal(Random random)
    {
        double u1 = 1.0 - random.NextDouble(),
            u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
