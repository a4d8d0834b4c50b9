using NumSharp;

namespace ConvParity.Fixtures;

/// <summary>Reads one array from a numpy <c>.npy</c> file through NumSharp, as float32.</summary>
public static class NpyFile
{
    /// <summary>Reads <paramref name="path"/>.</summary>
    /// <exception cref="FixtureException">The file is missing, unreadable, or not of a real number dtype.</exception>
    public static FixtureArray Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FixtureException(path, "no such .npy file");
        NDArray array;
        try { array = np.load_npy(path); }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException or FormatException or ArgumentException or InvalidOperationException or NullReferenceException)
        {
            throw new FixtureException(path, $"not a readable .npy file: {e.Message}");
        }
        return NpzFile.ToFloat32(array, path);
    }
}
