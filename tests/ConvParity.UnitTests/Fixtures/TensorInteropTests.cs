using ConvParity.Fixtures;
using ConvParity.Tensors;
using NumSharp;

namespace ConvParity.Tests;

/// <summary>TensorInterop: views where the memory allows one, copies (with the right values) where it does
/// not.</summary>
public sealed class TensorInteropTests
{
    [Test]
    public void A_float64_or_a_strided_or_an_empty_NDArray_is_copied_by_value()
    {
        var wide = np.arange(6).astype(NPTypeCode.Double).reshape(2, 3);
        var fromWide = TensorInterop.AsTensor(wide);
        wide.SetDouble(42.0, 0, 0);
        Assert.That(fromWide.Span.ToArray(), Is.EqualTo(new float[] { 0, 1, 2, 3, 4, 5 }), "a copy");

        var strided = np.arange(12).astype(NPTypeCode.Single).reshape(3, 4)[":, 1::2"];
        var fromStrided = TensorInterop.AsTensor(strided);
        Assert.That(fromStrided.ShapeArray(), Is.EqualTo(new[] { 3, 2 }));
        Assert.That(fromStrided.Span.ToArray(), Is.EqualTo(new float[] { 1, 3, 5, 7, 9, 11 }));

        var empty = TensorInterop.AsTensor(np.zeros(new Shape(0, 3), NPTypeCode.Single));
        Assert.That(empty.ShapeArray(), Is.EqualTo(new[] { 0, 3 }));
        Assert.That(empty.Span.Length, Is.Zero);
    }

    [Test]
    public void A_tensor_over_part_of_an_array_is_copied_into_an_NDArray()
    {
        var data = new float[] { 9, 1, 2, 3, 4 };
        var part = new Tensor(data.AsMemory(1), 2, 2);
        var array = TensorInterop.AsNDArray(part);
        data[1] = 42;
        Assert.That(array.shape, Is.EqualTo(new long[] { 2, 2 }));
        Assert.That(array.ToArray<float>(), Is.EqualTo(new float[] { 1, 2, 3, 4 }), "a copy of the four elements");
        var shorter = new Tensor(data.AsMemory(0, 4), 4);
        Assert.That(TensorInterop.AsNDArray(shorter).ToArray<float>(), Is.EqualTo(new float[] { 9, 42, 2, 3 }));
    }

    [Test]
    public void Null_arguments_are_programming_errors()
    {
        Assert.That(() => TensorInterop.AsTensor(null!), Throws.ArgumentNullException);
        Assert.That(() => TensorInterop.AsNDArray(null!), Throws.ArgumentNullException);
        Assert.That(() => TensorInterop.ShapeOf(null!), Throws.ArgumentNullException);
        Assert.That(TensorInterop.ShapeOf(np.zeros(new Shape(2, 0, 5))), Is.EqualTo(new[] { 2, 0, 5 }));
    }
}
