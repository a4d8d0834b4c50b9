using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Problems;
using ConvParity.Tensors;
using NumSharp;

namespace ConvParity.Tests;

public sealed class TensorTests
{
    [Test]
    public void A_float32_NDArray_is_viewed_without_copying()
    {
        var array = np.arange(24).astype(NPTypeCode.Single).reshape(2, 3, 4);
        var tensor = TensorInterop.AsTensor(array);
        array.SetSingle(42f, 1, 2, 3);
        Assert.That(tensor.Shape, Is.EqualTo(new[] { 2, 3, 4 }));
        Assert.That(tensor.Span[^1], Is.EqualTo(42f), "the tensor sees a write to the NDArray: same memory");
    }

    [Test]
    public void An_array_backed_tensor_is_viewed_as_an_NDArray_without_copying()
    {
        var data = new float[6];
        var array = TensorInterop.AsNDArray(new Tensor(data, 2, 3));
        data[4] = 7f;
        Assert.That(array.GetSingle(1, 1), Is.EqualTo(7f));
        Assert.That(array.shape, Is.EqualTo(new long[] { 2, 3 }));
    }

    [Test]
    public void A_float64_array_is_converted_and_rounding_is_reported()
    {
        static FixtureArray ReadBack(double[] values)
        {
            string path = Path.Combine(Path.GetTempPath(), $"convparity-{Guid.NewGuid():N}.npy");
            try
            {
                np.save(path, np.array(values));
                return NpyFile.Read(path);
            }
            finally
            {
                File.Delete(path);
            }
        }
        var exact = ReadBack([0.5, 1.25]);
        var rounded = ReadBack([0.1]);
        Assert.That(exact.Rounded, Is.False);
        Assert.That(rounded.Rounded, Is.True);
        Assert.That(rounded.Tensor.Span[0], Is.EqualTo(0.1f));
    }

    [Test]
    public void A_shape_that_does_not_match_the_data_is_refused() =>
        Assert.That(() => new Tensor(new float[5], 2, 3), Throws.ArgumentException.With.Message.Contain("2, 3"));

    [Test]
    public void An_engine_refuses_operands_of_the_wrong_shape_by_name()
    {
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 2,
                OutChannels = 3,
                InputSize = [5, 5],
                KernelSize = [3, 3],
            }
        );
        Assert.That(
            () => new ReferenceEngine().Forward(problem, Tensor.Zeros(1, 3, 5, 5), Tensor.Zeros(problem.WeightShape)),
            Throws
                .ArgumentException.With.Property(nameof(ArgumentException.ParamName))
                .EqualTo("x")
                .And.Message.Contain("1, 2, 5, 5")
        );
    }
}
