using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConvParity.Conventions;
using ConvParity.Fixtures;
using ConvParity.Tensors;

namespace ConvParity.Python.Generation;

/// <summary>
/// A case spec (docs/case-spec.md): the user's own calls, in any vocabulary the conventions know, with the
/// shapes of their arrays, kwargs (fixed, and a grid whose every combination becomes a case), dtype, value kind,
/// count and seed. A spec is user input: it is checked whole, against the convention registry, before
/// anything reaches Python, and an error names the file, the entry and the key.
/// </summary>
public sealed partial class CaseSpec
{
    /// <summary>The format a spec declares.</summary>
    public const string Format = "convparity.spec/1";

    /// <summary>The largest spec file read.</summary>
    public const long MaxBytes = 1 << 20;

    /// <summary>The most elements one array may hold.</summary>
    public const long MaxElements = 1 << 24;

    /// <summary>The most elements all the cases of a spec may hold together.</summary>
    public const long MaxTotalElements = 1L << 28;

    /// <summary>The most draws per combination.</summary>
    public const int MaxCount = 100;

    private static readonly string[] TopKeys =
    [
        "format",
        "suite",
        "description",
        "seed",
        "dtype",
        "values",
        "count",
        "cases",
    ];
    private static readonly string[] EntryKeys =
    [
        "name",
        "call",
        "args",
        "kwargs",
        "grid",
        "dtype",
        "values",
        "count",
        "seed",
    ];
    private static readonly string[] ValueKinds = ["normal", "uniform", "integers", "nonfinite", "wide"];

    private CaseSpec(string path, string suite, string? description, IReadOnlyList<SpecCase> cases) =>
        (Path, Suite, Description, Cases) = (path, suite, description, cases);

    /// <summary>The spec file.</summary>
    public string Path { get; }

    /// <summary>The suite's name, written to the manifest.</summary>
    public string Suite { get; }

    /// <summary>The spec's own description, if any.</summary>
    public string? Description { get; }

    /// <summary>Every case, entry by entry, each entry's grid in order, then its draws.</summary>
    public IReadOnlyList<SpecCase> Cases { get; }

    /// <summary>Reads and expands the spec in <paramref name="path"/>.</summary>
    /// <exception cref="CaseSpecException">The file is missing, unreadable, too large, or not a valid spec.</exception>
    public static CaseSpec Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
            throw new CaseSpecException($"{path}: is a folder, not a spec file");
        if (!File.Exists(path))
            throw new CaseSpecException($"{path}: no such file");
        string text;
        try
        {
            long size = new FileInfo(path).Length;
            if (size > MaxBytes)
                throw new CaseSpecException($"{path}: {size} bytes; a spec may hold at most {MaxBytes}");
            if (size == 0)
                throw new CaseSpecException($"{path}: empty, or not a regular file");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaseSpecException($"{path}: cannot be read: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Parses and expands spec text; <paramref name="path"/> names it in errors.</summary>
    /// <exception cref="CaseSpecException">Not a valid spec.</exception>
    public static CaseSpec Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        JsonObject root;
        try
        {
            root =
                JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false })
                    as JsonObject
                ?? throw new CaseSpecException($"{path}: the top level is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new CaseSpecException($"{path}: not valid JSON: {e.Message}");
        }
        var top = new Where(path, null, null);
        Unknown(root, TopKeys, top);
        string format = String(root, "format", top) ?? throw top.Error("format", $"missing; write \"{Format}\"");
        if (format != Format)
            throw top.Error("format", $"is '{format}'; this version reads '{Format}'");
        string suite = String(root, "suite", top) ?? throw top.Error("suite", "missing: the suite's name");
        if (!NamePattern().IsMatch(suite))
            throw top.Error("suite", $"'{Clip(suite)}' {NameRule}");
        string? description = String(root, "description", top);
        var defaults = new Defaults(
            Int(root, "seed", top, int.MinValue, int.MaxValue) ?? Catalogue.DefaultSeed,
            DType(root, top) ?? "float32",
            Values(root, top) ?? new ValueKind("normal"),
            Int(root, "count", top, 1, MaxCount) ?? 1
        );
        if (root["cases"] is not JsonArray entries || entries.Count == 0)
            throw top.Error("cases", "missing, or not a non-empty list of entries");

        var cases = new List<SpecCase>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        long elements = 0;
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not JsonObject entry)
                throw new Where(path, i, null).Error(null, "not a JSON object");
            var where = new Where(path, i, null);
            string name =
                String(entry, "name", where)
                ?? throw where.Error("name", "missing: each entry has a name (it starts its cases' ids)");
            if (!NamePattern().IsMatch(name))
                throw where.Error("name", $"'{Clip(name)}' {NameRule}");
            where = new Where(path, i, name);
            if (!names.Add(name))
                throw where.Error("name", "is used by an earlier entry");
            foreach (var c in Expand(entry, where, defaults))
            {
                cases.Add(c);
                elements += c.Args.Sum(a => Tensor.ElementCount(a.Shape, a.Name));
                if (cases.Count > FixtureSuite.MaxCases)
                    throw where.Error(
                        null,
                        $"the spec expands to more than {FixtureSuite.MaxCases} cases, the most a suite holds"
                    );
                if (elements > MaxTotalElements)
                    throw where.Error(null, $"the spec's arrays hold more than {MaxTotalElements} elements in all");
            }
        }
        return new CaseSpec(path, suite, description, cases);
    }

    private sealed record Defaults(int Seed, string DType, ValueKind Values, int Count);

    private static IEnumerable<SpecCase> Expand(JsonObject entry, Where where, Defaults defaults)
    {
        Unknown(entry, EntryKeys, where);
        string call =
            String(entry, "call", where) ?? throw where.Error("call", "missing: the fully qualified library function");
        var args = Args(entry, where);
        if (ConventionRegistry.Refusal(call, args.Count) is { } refusal)
            throw where.Error("call", refusal);
        var kwargs = entry["kwargs"] switch
        {
            null => new JsonObject(),
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw where.Error("kwargs", "not a JSON object of keyword arguments"),
        };
        var grid = Grid(entry, where, kwargs);
        var dtype = DType(entry, where) ?? defaults.DType;
        var values = Values(entry, where) ?? defaults.Values;
        int count = Int(entry, "count", where, 1, MaxCount) ?? defaults.Count;
        int seed = Int(entry, "seed", where, int.MinValue, int.MaxValue) ?? defaults.Seed;
        var combinations = new List<List<(string Key, JsonNode? Value)>> { new() };
        foreach (var (key, options) in grid)
        {
            combinations =
            [
                .. combinations.SelectMany(c => options.Select(o => new List<(string, JsonNode?)>(c) { (key, o) })),
            ];
            if ((long)combinations.Count * count > FixtureSuite.MaxCases)
                throw where.Error(
                    "grid",
                    $"expands to more than {FixtureSuite.MaxCases} cases, the most a suite holds"
                );
        }
        foreach (var combination in combinations)
        {
            var caseKwargs = (JsonObject)kwargs.DeepClone();
            foreach (var (key, value) in combination)
                caseKwargs[key] = value?.DeepClone();
            string tag =
                combination.Count == 0
                    ? ""
                    : string.Join(",", combination.Select(p => $"{p.Key}={Sketch.Text(p.Value)}")) + "/";
            for (int draw = 0; draw < count; draw++)
            {
                string id = $"{where.Name}/{tag}{draw}";
                if (id.Any(char.IsControl))
                    throw where.Error("grid", "a value holds a control character, which a case id may not");
                var sketch = new SpecCase(where.Name!, id, "", call, args, caseKwargs, dtype, values, seed, draw);
                string hash = Convert.ToHexStringLower(
                    SHA256.HashData(Encoding.UTF8.GetBytes(SpecCase.Fingerprint(sketch)))
                );
                yield return sketch with
                {
                    File = $"{hash[..20]}.npz",
                };
            }
        }
    }

    private static List<(string Name, int[] Shape)> Args(JsonObject entry, Where where)
    {
        if (entry["args"] is not JsonArray list || list.Count == 0)
            throw where.Error("args", "missing, or not a non-empty list of {\"name\": ..., \"shape\": [...]} arrays");
        var args = new List<(string, int[])>();
        for (int j = 0; j < list.Count; j++)
        {
            string key = $"args[{j}]";
            if (list[j] is not JsonObject arg)
                throw where.Error(key, "not a JSON object {\"name\": ..., \"shape\": [...]}");
            Unknown(arg, ["name", "shape"], where, key + ".");
            string name = String(arg, "name", where, key + ".") ?? throw where.Error(key + ".name", "missing");
            if (!ArgPattern().IsMatch(name) || name == "expected")
                throw where.Error(
                    key + ".name",
                    $"'{Clip(name)}' is not an array name (a Python identifier of at most "
                        + "32 characters, not 'expected')"
                );
            if (args.Any(a => a.Item1 == name))
                throw where.Error(key + ".name", $"'{name}' names two arrays");
            if (arg["shape"] is not JsonArray dims || dims.Count is 0 or > 8)
                throw where.Error(key + ".shape", "missing, or not a list of 1 to 8 extents");
            var shape = new int[dims.Count];
            for (int d = 0; d < dims.Count; d++)
                shape[d] =
                    IntValue(dims[d], 1, (int)MaxElements)
                    ?? throw where.Error($"{key}.shape[{d}]", "not a whole number from 1 to 2^24");
            long elements = 1;
            foreach (int d in shape)
                if ((elements *= d) > MaxElements)
                    throw where.Error(key + ".shape", $"holds more than {MaxElements} elements");
            args.Add((name, shape));
        }
        return args;
    }

    private static List<(string Key, List<JsonNode?> Options)> Grid(JsonObject entry, Where where, JsonObject kwargs)
    {
        var grid = new List<(string, List<JsonNode?>)>();
        if (entry["grid"] is null)
            return grid;
        if (entry["grid"] is not JsonObject g)
            throw where.Error("grid", "not a JSON object of keyword -> list of values");
        foreach (var (key, options) in g)
        {
            if (kwargs.ContainsKey(key))
                throw where.Error($"grid.{key}", "is also in kwargs; give it in one place");
            if (options is not JsonArray list || list.Count == 0)
                throw where.Error(
                    $"grid.{key}",
                    "not a non-empty list of values (each value is one case; a list-valued kwarg is a list of lists)"
                );
            grid.Add((key, [.. list.Select(v => v?.DeepClone())]));
        }
        return grid;
    }

    private static string? DType(JsonObject node, Where where)
    {
        string? dtype = String(node, "dtype", where);
        if (dtype is not null and not "float32" and not "float64")
            throw where.Error("dtype", $"'{Clip(dtype)}' is neither float32 nor float64");
        return dtype;
    }

    private static ValueKind? Values(JsonObject node, Where where)
    {
        var value = node["values"];
        if (value is null)
            return null;
        if (value.GetValueKind() == JsonValueKind.String)
        {
            string kind = value.GetValue<string>();
            if (kind is "normal" or "wide")
                return new ValueKind(kind);
            if (ValueKinds.Contains(kind))
                throw where.Error("values", $"'{kind}' needs parameters: write it as an object (docs/case-spec.md)");
            throw where.Error("values", $"'{Clip(kind)}' is not a value kind ({string.Join(", ", ValueKinds)})");
        }
        if (value is not JsonObject o)
            throw where.Error("values", "neither a kind's name nor an object {\"kind\": ...}");
        string k = String(o, "kind", where, "values.") ?? throw where.Error("values.kind", "missing");
        switch (k)
        {
            case "normal" or "wide":
                Unknown(o, ["kind"], where, "values.");
                return new ValueKind(k);
            case "uniform" or "integers":
                Unknown(o, ["kind", "low", "high"], where, "values.");
                double limit = k == "integers" ? 1 << 12 : 1e30;
                double low = Number(o, "low", where, limit),
                    high = Number(o, "high", where, limit);
                if (k == "integers" && (low != Math.Floor(low) || high != Math.Floor(high)))
                    throw where.Error("values", "integers need whole low and high");
                if (!(low < high))
                    throw where.Error("values.high", $"{ValueKind.Num(high)} is not above low ({ValueKind.Num(low)})");
                return new ValueKind(k, low, high);
            case "nonfinite":
                Unknown(o, ["kind", "fraction"], where, "values.");
                double fraction = Number(o, "fraction", where, 1);
                if (!(fraction > 0))
                    throw where.Error("values.fraction", "must lie in (0, 1]");
                return new ValueKind(k, Fraction: fraction);
            default:
                throw where.Error("values.kind", $"'{Clip(k)}' is not a value kind ({string.Join(", ", ValueKinds)})");
        }
    }

    private static double Number(JsonObject node, string key, Where where, double limit)
    {
        var value = node[key];
        if (value is null || value.GetValueKind() != JsonValueKind.Number)
            throw where.Error($"values.{key}", "missing, or not a number");
        double d = value.GetValue<double>();
        if (!double.IsFinite(d) || Math.Abs(d) > limit)
            throw where.Error($"values.{key}", $"must lie within ±{ValueKind.Num(limit)}");
        return d;
    }

    private static string? String(JsonObject node, string key, Where where, string prefix = "")
    {
        var value = node[key];
        if (value is null)
            return null;
        if (value.GetValueKind() != JsonValueKind.String)
            throw where.Error(prefix + key, "not a string");
        return value.GetValue<string>();
    }

    private static int? Int(JsonObject node, string key, Where where, int min, int max)
    {
        if (node[key] is null)
            return null;
        string range = $"{min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}";
        return IntValue(node[key], min, max) ?? throw where.Error(key, $"not a whole number from {range}");
    }

    private static int? IntValue(JsonNode? node, int min, int max) =>
        node is JsonValue v
        && v.GetValueKind() == JsonValueKind.Number
        && v.TryGetValue(out long n)
        && n >= min
        && n <= max
            ? (int)n
            : null;

    private static void Unknown(JsonObject node, string[] known, Where where, string prefix = "")
    {
        foreach (var (key, _) in node)
            if (!known.Contains(key))
                throw where.Error(prefix + key, $"is not a key of the spec here (known: {string.Join(", ", known)})");
    }

    private static string Clip(string text) =>
        new([.. (text.Length > 40 ? text[..40] + "..." : text).Select(c => char.IsControl(c) ? '?' : c)]);

    private const string NameRule =
        "is not a name: 1 to 64 letters, digits, '_', '-' or '.', starting with a letter or digit";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,31}$")]
    private static partial Regex ArgPattern();

    /// <summary>Where in the spec: the file, the entry's index and name; builds the error naming the key.</summary>
    private sealed record Where(string Path, int? Index, string? Name)
    {
        public CaseSpecException Error(string? key, string reason)
        {
            string entry =
                Index is null ? ""
                : Name is null ? $" cases[{Index}]"
                : $" cases[{Index}] ('{Name}')";
            string at = key is null ? "" : $" '{Clip(key)}'";
            return new CaseSpecException($"{Path}:{entry}{at}: {reason}");
        }
    }
}
