using System.Runtime.InteropServices;
using ConvParity.Tensors;
using Python.Runtime;

namespace ConvParity.Python;

/// <summary>
/// Moves arrays between .NET and numpy through the buffer protocol: one memcpy each way, any shape,
/// float32 or float64. Every method must be called holding the GIL (inside <see cref="PythonRuntime.Run{T}"/>).
/// Buffers are requested as plain C-contiguous views, never with PyBUF.FORMATS (which crashes pythonnet);
/// the dtype is checked on the array object instead.
/// </summary>
public static class NumpyArrays
{
    /// <summary>A new C-contiguous numpy array of <paramref name="shape"/> holding a copy of <paramref
    /// name="data"/>.</summary>
    /// <typeparam name="T">float (numpy float32) or double (numpy float64).</typeparam>
    /// <exception cref="ArgumentException">The shape does not hold <paramref name="data"/>'s element count.</exception>
    public static unsafe PyObject ToNumpy<T>(ReadOnlySpan<T> data, IReadOnlyList<int> shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(shape);
        string dtype = DType<T>();
        long count = Tensor.ElementCount(shape, nameof(shape));
        if (count != data.Length)
            throw new ArgumentException(
                $"shape [{Tensor.FormatShape(shape)}] holds {count} elements but the data has {data.Length}.",
                nameof(shape)
            );

        using var numpy = Py.Import("numpy");
        using var pyShape = new PyTuple([.. shape.Select(d => (PyObject)new PyInt(d))]);
        using var pyDType = new PyString(dtype);
        var array = numpy.InvokeMethod("empty", pyShape, pyDType);
        if (data.Length == 0)
            return array;
        using var view = array.GetBuffer(PyBUF.CONTIG); // ND | WRITABLE: np.empty is C-contiguous
        RequireBytes(view, (long)data.Length * sizeof(T), dtype);
        MemoryMarshal.AsBytes(data).CopyTo(new Span<byte>((void*)view.Buffer, checked((int)view.Length)));
        return array;
    }

    /// <summary>A numpy float32 array holding a copy of the tensor, with its shape.</summary>
    public static PyObject ToNumpy(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return ToNumpy<float>(tensor.Span, tensor.Shape);
    }

    /// <summary>
    /// Copies a numpy array out: its elements in C order and its shape. The array must be C-contiguous
    /// and of the dtype of <typeparamref name="T"/> (float32 for float, float64 for double).
    /// </summary>
    /// <exception cref="ArgumentException">The object is not such an array; the message names its type, dtype or
    /// layout.</exception>
    public static unsafe T[] FromNumpy<T>(PyObject array, out int[] shape)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        string dtype = DType<T>();
        string actual = DTypeOf(array);
        if (actual != dtype)
            throw new ArgumentException($"the array has dtype {actual}; {dtype} was expected.", nameof(array));
        using (var flags = array.GetAttr("flags"))
            if (!flags.GetAttr("c_contiguous").IsTrue())
                throw new ArgumentException(
                    "the array is not C-contiguous (a strided view); numpy.ascontiguousarray makes it so.",
                    nameof(array)
                );
        using var view = array.GetBuffer(PyBUF.C_CONTIGUOUS);
        shape = [.. (view.Shape ?? []).Select(d => checked((int)d))];
        long count = Tensor.ElementCount(shape, nameof(shape));
        if (count > Array.MaxLength)
            throw new ArgumentException(
                $"the array has {count} elements, more than one .NET array holds.",
                nameof(array)
            );
        var result = GC.AllocateUninitializedArray<T>(checked((int)count)); // every element is written below
        if (count == 0)
            return result;
        RequireBytes(view, count * sizeof(T), dtype);
        new ReadOnlySpan<byte>((void*)view.Buffer, checked((int)view.Length)).CopyTo(
            MemoryMarshal.AsBytes(result.AsSpan())
        );
        return result;
    }

    /// <summary>Copies a numpy float32 array into a new tensor of the same shape.</summary>
    public static Tensor ToTensor(PyObject array)
    {
        var data = FromNumpy<float>(array, out var shape);
        return new Tensor(data, shape);
    }

    /// <summary>numpy's name of the array's dtype ("float32", "float64", ...), or the Python type's name for a
    /// non-array.</summary>
    public static string DTypeOf(PyObject value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.HasAttr("dtype") || !value.HasAttr("shape"))
            return $"not an array ({value.GetPythonType().Name})";
        using var dtype = value.GetAttr("dtype");
        return dtype.GetAttr("name").ToString() ?? "?";
    }

    private static string DType<T>()
        where T : unmanaged =>
        typeof(T) == typeof(float) ? "float32"
        : typeof(T) == typeof(double) ? "float64"
        : throw new NotSupportedException($"{typeof(T).Name} arrays are not moved to numpy; float and double are.");

    private static void RequireBytes(PyBuffer view, long expected, string dtype)
    {
        if (view.Length != expected)
            throw new InvalidOperationException(
                $"the {dtype} buffer holds {view.Length} bytes; {expected} were expected."
            );
    }
}
