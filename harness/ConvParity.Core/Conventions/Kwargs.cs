using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvParity.Conventions;

/// <summary>
/// A call's keyword arguments, read by name with the library's documented default when absent.
/// Every read marks the name as known; <see cref="RejectUnknown"/> then reports any argument no
/// convention read, so nothing is silently ignored.
/// </summary>
public sealed class Kwargs
{
    private readonly JsonObject _values;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    /// <summary>Wraps the kwargs of <paramref name="call"/> (null means none).</summary>
    /// <param name="call">The library call the arguments are given to, fully qualified.</param>
    /// <param name="values">The keyword arguments by name, as JSON; null when the call has none.</param>
    public Kwargs(string call, JsonObject? values)
    {
        Call = call;
        _values = values ?? new JsonObject();
    }

    /// <summary>The call these arguments belong to, for error messages.</summary>
    public string Call { get; }

    /// <summary>Whether <paramref name="name"/> was given with a non-null value.</summary>
    public bool Has(string name) => _values[name] is not null;

    /// <summary>The raw value, or null when absent; marks the name as known.</summary>
    public JsonNode? Raw(string name)
    {
        _known.Add(name);
        return _values[name];
    }

    /// <summary>
    /// The raw value, or null when absent; an explicit JSON null (Python's None) is refused by name, because
    /// the libraries raise on None for these arguments (or, for a number, answer something else) rather
    /// than take the default.
    /// </summary>
    /// <exception cref="InvalidCallException">The value is JSON null.</exception>
    public JsonNode? NotNull(string name)
    {
        var node = Raw(name);
        if (node is null && _values.ContainsKey(name))
            throw Invalid(
                name,
                "null (Python None) is not taken as the default here (the library raises on None, "
                    + "or answers otherwise); give a value or leave the argument out"
            );
        return node;
    }

    /// <summary>A string among <paramref name="allowed"/>.</summary>
    public string Choice(string name, string fallback, params string[] allowed)
    {
        var node = NotNull(name);
        if (node is null)
            return fallback;
        if (node.GetValueKind() != JsonValueKind.String)
            throw Unsupported(name, $"expected one of {Quote(allowed)}, got {node.ToJsonString()}");
        string value = node.GetValue<string>();
        if (!allowed.Contains(value, StringComparer.Ordinal))
            throw Unsupported(name, $"value '{value}' is not handled (handled: {Quote(allowed)})");
        return value;
    }

    /// <summary>A boolean.</summary>
    public bool Bool(string name, bool fallback)
    {
        var node = NotNull(name);
        if (node is null)
            return fallback;
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Unsupported(name, $"expected true or false, got {node.ToJsonString()}"),
        };
    }

    /// <summary>A real number.</summary>
    public double Number(string name, double fallback)
    {
        var node = NotNull(name);
        if (node is null)
            return fallback;
        if (node.GetValueKind() != JsonValueKind.Number)
            throw Unsupported(name, $"expected a real number, got {node.ToJsonString()}");
        return ValueOf(node);
    }

    /// <summary>An integer.</summary>
    public int Int(string name, int fallback)
    {
        var node = NotNull(name);
        return node is null ? fallback : AsInt(node, name);
    }

    /// <summary>One integer per axis: a list of <paramref name="rank"/> integers, or one integer for every
    /// axis.</summary>
    public int[] Ints(string name, int rank, int fallback)
    {
        var node = NotNull(name);
        if (node is null)
            return Enumerable.Repeat(fallback, rank).ToArray();
        if (node is JsonArray list)
        {
            if (list.Count != rank)
                throw Invalid(name, $"{node.ToJsonString()} has {list.Count} entries; {rank} expected");
            return list.Select(item => AsInt(item, name)).ToArray();
        }
        return Enumerable.Repeat(AsInt(node, name), rank).ToArray();
    }

    /// <summary>A list of integers of any length (a shape).</summary>
    public int[]? Shape(string name)
    {
        var node = Raw(name);
        if (node is null)
            return null;
        if (node is not JsonArray list)
            throw Unsupported(name, $"expected a list of integers, got {node.ToJsonString()}");
        return list.Select(item => AsInt(item, name)).ToArray();
    }

    /// <summary>Marks names that may appear and do not change the result (hints such as shapes or algorithm
    /// choices).</summary>
    public void Ignore(params string[] names)
    {
        foreach (var name in names)
            _known.Add(name);
    }

    /// <summary>Throws for the first argument that was never read.</summary>
    /// <exception cref="UnsupportedCallException">An argument no convention handles.</exception>
    public void RejectUnknown()
    {
        foreach (var (name, value) in _values)
            if (!_known.Contains(name))
                throw new UnsupportedCallException(
                    Call,
                    name,
                    $"unknown keyword argument (value {value?.ToJsonString() ?? "null"})"
                );
    }

    /// <summary>An <see cref="UnsupportedCallException"/> naming <paramref name="name"/>.</summary>
    public UnsupportedCallException Unsupported(string name, string message) => new(Call, name, message);

    /// <summary>An <see cref="InvalidCallException"/> for a value the library itself would refuse.</summary>
    public InvalidCallException Invalid(string name, string message) => new(Call, name, message);

    /// <summary>A refusal in the library's own words: its Python exception type and message, naming the
    /// argument.</summary>
    internal InvalidCallException Refused(string name, string pythonType, string message) =>
        Invalid(name, $"{pythonType}: {message}");

    private int AsInt(JsonNode? node, string name)
    {
        if (node is not null && node.GetValueKind() == JsonValueKind.Number)
        {
            double d = ValueOf(node);
            if (d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue)
                return (int)d;
        }
        throw Unsupported(name, $"expected an integer, got {node?.ToJsonString() ?? "null"}");
    }

    /// <summary>
    /// The value of a JSON number, however the node was made: parsed from text, or built in code from
    /// an int, a long or a float (JsonValue.GetValue&lt;double&gt; only converts the parsed kind).
    /// </summary>
    public static double ValueOf(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return double.Parse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static string Quote(IEnumerable<string> values) => string.Join(", ", values.Select(v => $"'{v}'"));

    /// <summary>Formats a number the way Python would print it in a message.</summary>
    // Stryker disable once String : "" is the general format, for a double the same shortest round-trip text as "R"
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
