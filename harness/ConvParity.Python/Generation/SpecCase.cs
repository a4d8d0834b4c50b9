using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ConvParity.Tensors;

namespace ConvParity.Python.Generation;

/// <summary>
/// One case of an expanded spec: everything that fixes it (call, array names and shapes, kwargs, dtype, value
/// kind, seed, draw), its stable id, and a file named by the fingerprint of all of that.
/// </summary>
/// <param name="Entry">The spec entry's name.</param>
/// <param name="Id">entry/grid-kwargs/draw: the same for an unchanged entry wherever it sits in the file.</param>
/// <param name="File">FINGERPRINT.npz: a changed case gets another file.</param>
/// <param name="Call">The library call.</param>
/// <param name="Args">The arrays' names and shapes, in positional order.</param>
/// <param name="Kwargs">The fixed kwargs with this case's grid values.</param>
/// <param name="DType">float32 or float64.</param>
/// <param name="Values">How the values are drawn.</param>
/// <param name="Seed">The entry's seed.</param>
/// <param name="Draw">Which draw of the entry's count this is (0-based).</param>
public sealed record SpecCase(
    string Entry,
    string Id,
    string File,
    string Call,
    IReadOnlyList<(string Name, int[] Shape)> Args,
    JsonObject Kwargs,
    string DType,
    ValueKind Values,
    int Seed,
    int Draw
)
{
    /// <summary>The manifest note: where the case comes from and how its values were drawn.</summary>
    public string Note => $"spec entry '{Entry}', draw {Draw}; {DType}, values: {Values}; seed {Seed}";

    /// <summary>The call on freshly drawn arrays; the same arrays every time (the seed comes from the
    /// fingerprint).</summary>
    public LibraryCall DrawCall()
    {
        var random = new Random(BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(Fingerprint(this))), 0));
        var tensors = new List<Tensor>();
        var doubles = new List<double[]>();
        foreach (var (name, shape) in Args)
        {
            var data = new double[Tensor.ElementCount(shape, name)];
            Values.Fill(data, random);
            doubles.Add(data);
            tensors.Add(new Tensor(data.Select(v => (float)v).ToArray(), shape));
        }
        var kwargs = (JsonObject)JsonNode.Parse(Kwargs.ToJsonString())!;
        return new LibraryCall(Call, [.. Args.Select(a => a.Name)], tensors, kwargs)
        {
            Float64Args = DType == "float64" ? doubles : null,
        };
    }

    /// <summary>Everything that fixes a case's arrays and answer, as one line of text.</summary>
    internal static string Fingerprint(SpecCase c) =>
        $"{c.Call}|{string.Join(";", c.Args.Select(a => $"{a.Name}[{Tensor.FormatShape(a.Shape)}]"))}|"
        + $"{c.Kwargs.ToJsonString()}|"
        + $"{c.DType}|{c.Values}|{c.Seed}|{c.Draw}";
}
