using System.Text.Json.Nodes;

namespace ConvParity.Python;

/// <summary>
/// One of the ONNX authors' node tests as its files hold it: a single Conv or ConvTranspose node on float32 tensors,
/// read with the onnx package (<see cref="LiveReference.ReadOnnxNodeTest"/>).
/// </summary>
/// <param name="Operator">The node's op_type: Conv or ConvTranspose.</param>
/// <param name="Attributes">The node's attributes, by name, as JSON (INT a number, INTS a list, STRING text).</param>
/// <param name="Inputs">The node's input names, in order.</param>
/// <param name="DataSets">Each test_data_set_N: the inputs in the node's order, and the authors' output.</param>
/// <param name="OnnxVersion">The version of the onnx package that read the files.</param>
/// <param name="Opset">The model's default-domain opset version.</param>
public sealed record OnnxNodeTest(
    string Operator,
    JsonObject Attributes,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<OnnxDataSet> DataSets,
    string OnnxVersion,
    int Opset
);
