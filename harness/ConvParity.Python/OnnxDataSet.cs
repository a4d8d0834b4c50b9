using ConvParity.Tensors;

namespace ConvParity.Python;

/// <summary>One test_data_set_N of an ONNX node test: its input tensors and the authors' output.</summary>
/// <param name="Inputs">input_0.pb, input_1.pb, ... in the node's input order.</param>
/// <param name="Output">output_0.pb: the ONNX authors' answer.</param>
public sealed record OnnxDataSet(IReadOnlyList<Tensor> Inputs, Tensor Output);
