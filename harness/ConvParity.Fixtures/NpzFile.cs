using System.Buffers;
using ConvParity.Tensors;
using NumSharp;

namespace ConvParity.Fixtures;

/// <summary>An array read from a fixture as float32, and whether that conversion was exact.</summary>
/// <param name="Tensor">The values as float32.</param>
/// <param name="DType">The dtype stored in the file (numpy's name).</param>
/// <param name="Rounded">Whether some value changed when converted to float32 (the library saw more precise inputs).</param>
public sealed record FixtureArray(Tensor Tensor, string DType, bool Rounded);

/// <summary>Reads the arrays of a .npz (numpy savez / savez_compressed) through NumSharp.</summary>
public static class NpzFile
{
    /// <summary>Reads the named arrays of <paramref name="path"/>.</summary>
    /// <exception cref="FixtureException">The file is missing or unreadable, or an array is missing or of a dtype that is not a real number.</exception>
    public static IReadOnlyDictionary<string, FixtureArray> Read(string path, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (!File.Exists(path)) throw new FixtureException(path, "missing .npz file");
        NumSharp.IO.NpzFile archive;
        try { archive = np.load_npz(path); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new FixtureException(path, $"not a readable .npz: {e.Message}");
        }

        using (archive)
        {
            var result = new Dictionary<string, FixtureArray>(StringComparer.Ordinal);
            foreach (string name in names.Distinct())
            {
                if (!archive.ContainsKey(name))
                    throw new FixtureException(path, $"missing array '{name}' (the file holds: {string.Join(", ", archive.Files)})");
                NDArray array;
                try { array = archive[name]; }
                catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or FormatException or ArgumentException or InvalidOperationException)
                {
                    throw new FixtureException(path, $"array '{name}' cannot be read: {e.Message}");
                }
                result[name] = ToFloat32(array, $"{path} array '{name}'");
            }
            return result;
        }
    }

    /// <summary>Converts any real NumSharp array to a float32 tensor; float32 arrays are wrapped, not copied.</summary>
    /// <exception cref="FixtureException">The dtype is not a real number type.</exception>
    public static FixtureArray ToFloat32(NDArray array, string what)
    {
        ArgumentNullException.ThrowIfNull(array);
        int[] shape = TensorInterop.ShapeOf(array);
        string dtype = array.typecode.ToString();
        if (array.typecode == NPTypeCode.Single)
            return new FixtureArray(TensorInterop.AsTensor(array), "float32", false);
        if (array.typecode is NPTypeCode.Boolean or NPTypeCode.Char or NPTypeCode.String or NPTypeCode.Complex or NPTypeCode.Empty)
            throw new FixtureException(what, $"dtype {dtype} is not a real number type");

        var values = array.astype(NPTypeCode.Double).ToArray<double>();
        var data = new float[values.Length];
        bool rounded = false;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)values[i];
            rounded |= data[i] != values[i] && !(double.IsNaN(values[i]));
        }
        return new FixtureArray(new Tensor(data, shape), dtype.ToLowerInvariant(), rounded);
    }
}
