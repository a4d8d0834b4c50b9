using System.Buffers;
using System.Runtime.InteropServices;
using ConvParity.Tensors;
using NumSharp;

namespace ConvParity.Fixtures;

/// <summary>Zero-copy views between <see cref="Tensor"/> and NumSharp's <see cref="NDArray"/> where the memory allows
/// it.</summary>
public static class TensorInterop
{
    /// <summary>
    /// Views a C-contiguous float32 NDArray as a tensor without copying (the tensor keeps the array
    /// alive); any other array is copied.
    /// </summary>
    public static Tensor AsTensor(NDArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        int[] shape = ShapeOf(array);
        if (array.typecode == NPTypeCode.Single && array.Shape.IsContiguous && array.size > 0)
            return new Tensor(new NDArrayMemory(array).Memory, shape);
        return new Tensor(array.astype(NPTypeCode.Single).ToArray<float>(), shape);
    }

    /// <summary>Views a tensor backed by a managed array as an NDArray without copying; any other tensor is
    /// copied.</summary>
    public static NDArray AsNDArray(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        int[] shape = tensor.ShapeArray();
        if (
            MemoryMarshal.TryGetArray<float>(tensor.Data, out var segment)
            && segment.Offset == 0
            && segment.Count == segment.Array!.Length
        )
            return np.array(segment.Array, copy: false).reshape(shape);
        return np.array(tensor.Span.ToArray(), copy: false).reshape(shape);
    }

    /// <summary>An NDArray's shape as int dimensions.</summary>
    /// <exception cref="ArgumentException">A dimension does not fit in an int.</exception>
    public static int[] ShapeOf(NDArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        return
        [
            .. array.shape.Select(d =>
                d <= int.MaxValue
                    ? (int)d
                    : throw new ArgumentException($"dimension {d} is too large for a tensor", nameof(array))
            ),
        ];
    }

    /// <summary>Exposes an NDArray's unmanaged float32 storage as <see cref="Memory{T}"/>, holding the array
    /// alive.</summary>
    private sealed unsafe class NDArrayMemory(NDArray array) : MemoryManager<float>
    {
        private readonly NDArray _array = array;

        public override Span<float> GetSpan() => new((float*)_array.Unsafe.Address, checked((int)_array.size));

        public override MemoryHandle Pin(int elementIndex = 0) =>
            new((float*)_array.Unsafe.Address + elementIndex, default, this);

        public override void Unpin() { }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _array.Dispose();
        }
    }
}
