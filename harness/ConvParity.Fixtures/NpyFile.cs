namespace ConvParity.Fixtures;

/// <summary>Reads one array from a numpy <c>.npy</c> file as float32, checked like a .npz member (<see
/// cref="NpzFile"/>).</summary>
public static class NpyFile
{
    /// <summary>Reads <paramref name="path"/>, refusing an array above <paramref name="maxBytes"/>.</summary>
    /// <exception cref="FixtureException">
    /// The file is missing, a directory, unreadable, not of a real number dtype, or declares more than <paramref
    /// name="maxBytes"/>.
    /// </exception>
    public static FixtureArray Read(string path, long maxBytes = CaseLimits.DefaultMaxCaseBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var file = NpzFile.Open(path, ".npy");
        try
        {
            var header = NpyFormat.ReadHeader(file, path);
            if (header.Cost > maxBytes)
                throw new FixtureException(
                    path,
                    $"shape {NpyFormat.Shape(header.Shape)} of {header.DType}: "
                        + CaseLimits.Exceeded(
                            "explaining it takes an estimated",
                            header.Cost,
                            maxBytes,
                            optionGiven: false
                        )
                );
            long held = file.Length - file.Position;
            if (held < header.DataBytes)
                throw new FixtureException(path, NpyFormat.Truncated(header, held));
            return NpyFormat.ReadData(file, header, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FixtureException(path, $"not a readable .npy file: {e.Message}");
        }
    }
}
