using System.Text.Json.Nodes;
using ConvParity.Tensors;

namespace ConvParity.Python;

/// <summary>
/// A library call on concrete arrays, in the library's own words: the same description a fixture
/// case records (call, array names in positional order, kwargs), with the arrays themselves.
/// </summary>
/// <param name="Call">The fully qualified function, for example "scipy.signal.correlate".</param>
/// <param name="ArgNames">The library's names for the positional arrays ("in1", "in2").</param>
/// <param name="Args">The positional arrays, float32.</param>
/// <param name="Kwargs">Every other argument, as JSON values (lists where Python has tuples).</param>
public sealed record LibraryCall(
    string Call,
    IReadOnlyList<string> ArgNames,
    IReadOnlyList<Tensor> Args,
    JsonObject Kwargs
)
{
    /// <summary>
    /// The arrays as float64, when the call is made in float64 (<see cref="Args"/> then holds them rounded to float32,
    /// for shapes and for the engines); null for a float32 call.
    /// </summary>
    public IReadOnlyList<double[]>? Float64Args { get; init; }

    /// <summary>The top-level package of the call: "numpy", "scipy" or "theano".</summary>
    public string Library => Call.Split('.')[0];

    /// <summary>The call as a person would type it, with shapes for the arrays.</summary>
    public override string ToString() =>
        $"{Call}({string.Join(", ", ArgNames.Zip(Args, (n, a) => $"{n}[{Tensor.FormatShape(a.Shape)}]"))}"
        + (Kwargs.Count == 0 ? "" : ", ")
        + $"{string.Join(", ", Kwargs.Select(p => $"{p.Key}={p.Value?.ToJsonString() ?? "None"}"))})";
}
