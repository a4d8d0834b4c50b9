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
        var target = root["cases"]!.AsArray().Select(c => c!.AsObject()).Single(c => c["id"]!.GetValue<string>().EndsWith(idSuffix, StringComparison.Ordinal));
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
            foreach (string key in archive.Files) arrays[key] = archive[key].copy();
        arrays[name] = edit(arrays[name]);
        File.Delete(path);
        np.savez(path, arrays);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
