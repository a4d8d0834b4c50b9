using System.IO.Compression;
using System.Text.Json.Nodes;
using NumSharp;

namespace ConvParity.Tests;

/// <summary>A throw-away copy of a committed suite that a test may damage on purpose.</summary>
public sealed class TempSuite : IDisposable
{
    public TempSuite(string committedSuite)
    {
        Folder = Path.Combine(Path.GetTempPath(), "convparity-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        foreach (string file in Directory.GetFiles(Path.Combine(Repository.Fixtures, committedSuite)))
            File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)));
    }

    public string Folder { get; }

    private string ManifestPath => Path.Combine(Folder, "manifest.json");

    /// <summary>Edits the case whose id ends with <paramref name="idSuffix"/> in manifest.json.</summary>
    public void EditCase(string idSuffix, Action<JsonObject> edit)
    {
        var root = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        var target = root["cases"]!
            .AsArray()
            .Select(c => c!.AsObject())
            .Single(c => c["id"]!.GetValue<string>().EndsWith(idSuffix, StringComparison.Ordinal));
        edit(target);
        File.WriteAllText(ManifestPath, root.ToJsonString());
    }

    /// <summary>Replaces the manifest with <paramref name="text"/>.</summary>
    public void WriteManifest(string text) => File.WriteAllText(ManifestPath, text);

    /// <summary>Rewrites one array of one .npz through NumSharp, keeping the others.</summary>
    public void EditArray(string npz, string name, Func<NDArray, NDArray> edit)
    {
        string path = Path.Combine(Folder, npz);
        var arrays = new Dictionary<string, NDArray>();
        using (var archive = np.load_npz(path))
            foreach (string key in archive.Files)
                arrays[key] = archive[key].copy();
        arrays[name] = edit(arrays[name]);
        File.Delete(path);
        np.savez(path, arrays);
    }

    /// <summary>The raw bytes of one member (NAME.npy) of one .npz.</summary>
    public byte[] Member(string npz, string name)
    {
        using var archive = ZipFile.OpenRead(Path.Combine(Folder, npz));
        var entry =
            archive.GetEntry(name + ".npy")
            ?? throw new FileNotFoundException($"{npz} has no member {name}.npy (an earlier edit removed it).");
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Rewrites one member (NAME.npy) of one .npz with whatever <paramref name="write"/> streams, keeping the
    /// others.</summary>
    public void WriteMember(
        string npz,
        string name,
        Action<Stream> write,
        CompressionLevel level = CompressionLevel.Fastest
    )
    {
        // Written anew in Create mode, which streams (Update mode would hold a large member in memory).
        string path = Path.Combine(Folder, npz);
        var others = new List<(string Name, byte[] Bytes)>();
        using (var old = ZipFile.OpenRead(path))
            foreach (var entry in old.Entries.Where(e => e.FullName != name + ".npy"))
            {
                using var source = entry.Open();
                using var copy = new MemoryStream();
                source.CopyTo(copy);
                others.Add((entry.FullName, copy.ToArray()));
            }
        using var archive = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        foreach (var (other, bytes) in others)
        {
            using var stream = archive.CreateEntry(other, level).Open();
            stream.Write(bytes);
        }
        using (var stream = archive.CreateEntry(name + ".npy", level).Open())
            write(stream);
    }

    /// <summary>Rewrites one member with the given bytes.</summary>
    public void WriteMember(string npz, string name, byte[] bytes) => WriteMember(npz, name, s => s.Write(bytes));

    /// <summary>A version 1.0 .npy header as numpy writes it, padded to 64 bytes, for any dict text.</summary>
    public static byte[] NpyHeader(string dict) => NpyBytes.Header(dict);

    /// <summary>A .npy header declaring <paramref name="descr"/>, the order and <paramref name="shape"/> (Python tuple
    /// text).</summary>
    public static byte[] NpyHeader(string descr, bool fortran, string shape) =>
        NpyBytes.Header(NpyBytes.Dict(descr, fortran, shape));

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
