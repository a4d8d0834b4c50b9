using ConvParity.Tensors;

namespace ConvParity.Python.Generation;

/// <summary>One case imported from an ONNX authors' node test (<see cref="OnnxNodeTests"/>).</summary>
/// <param name="Id">The case id: the call and the test's folder name (and the data set, where there are
/// several).</param>
/// <param name="Test">The test's folder name, for example test_convtranspose_pads.</param>
/// <param name="Opset">The model's default-domain opset version.</param>
/// <param name="OnnxVersion">The onnx package that read the files.</param>
/// <param name="Call">onnx.Conv or onnx.ConvTranspose with the node's input names, arrays and attributes.</param>
/// <param name="Expected">The authors' output_0.pb.</param>
public sealed record OnnxNodeCase(
    string Id,
    string Test,
    int Opset,
    string OnnxVersion,
    LibraryCall Call,
    Tensor Expected
);
