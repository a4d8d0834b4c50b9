using System.Text.Json.Nodes;
using ConvParity.Tensors;

namespace ConvParity.Conventions;

/// <summary>Every convention, and the one entry point that plans any call.</summary>
public static class ConventionRegistry
{
    /// <summary>All conventions: numpy, scipy.signal, scipy.ndimage, Theano, ONNX, PyTorch.</summary>
    public static IReadOnlyList<IConvention> All { get; } =
    [
        new NumpyConvention(),
        new ScipySignalConvention(),
        new NdimageConvention(),
        new TheanoConvention(),
        new OnnxConvention(),
        new TorchConvention(),
    ];

    /// <summary>Every call some convention plans: the only calls ConvParity ever lets Python import or run.</summary>
    public static IEnumerable<string> Calls => All.SelectMany(c => c.Calls);

    /// <summary>
    /// Null when <paramref name="call"/> is one some convention plans and takes <paramref name="arrayArguments"/>
    /// positional arrays (its required ones, and optional ones such as a bias); else why not. Checked before a call
    /// reaches anything that imports or runs it.
    /// </summary>
    public static string? Refusal(string call, int arrayArguments)
    {
        ArgumentNullException.ThrowIfNull(call);
        var convention = Find(call);
        if (convention is null)
            return $"{call}: no convention handles this call, so it is never imported or run";
        int takes = convention.ArrayArguments(call),
            optional = convention.OptionalArrayArguments(call);
        if (arrayArguments >= takes && arrayArguments <= takes + optional)
            return null;
        string range = optional == 0 ? $"{takes}" : $"{takes} to {takes + optional}";
        return $"{call}: {arrayArguments} array arguments; it takes {range}";
    }

    /// <summary>Plans a call given the shapes of its positional array arguments and its keyword arguments.</summary>
    /// <exception cref="UnsupportedCallException">The call, or one of its arguments or values, is not
    /// handled.</exception>
    /// <exception cref="InvalidCallException">The arguments are ones the library itself would refuse.</exception>
    public static ConvPlan Plan(string call, IReadOnlyList<int[]> argShapes, JsonObject? kwargs)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(argShapes);
        var convention =
            Find(call) ?? throw new UnsupportedCallException(call, null, "no convention handles this call");
        var arguments = new Kwargs(call, kwargs);
        var plan = convention.Plan(call, argShapes, arguments);
        arguments.RejectUnknown();
        return plan;
    }

    /// <summary>
    /// Plans a call as <see cref="Plan"/> does, answering false with the reason where it would throw because the
    /// library would refuse the call (<see cref="InvalidCallException"/>) or no convention handles it
    /// (<see cref="UnsupportedCallException"/>): for searches that try many calls and skip those that do not apply.
    /// </summary>
    /// <param name="call">The library function, fully qualified.</param>
    /// <param name="argShapes">The shapes of its positional array arguments.</param>
    /// <param name="kwargs">Its keyword arguments (null means none).</param>
    /// <param name="plan">The plan, or null.</param>
    /// <param name="refusal">Why there is no plan, or null.</param>
    public static bool TryPlan(
        string call,
        IReadOnlyList<int[]> argShapes,
        JsonObject? kwargs,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ConvPlan? plan,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? refusal
    )
    {
        // The conventions refuse by throwing, as the libraries do; this is the one place that turns the two
        // refusals into an answer, so that callers never use exceptions for control flow.
        try
        {
            plan = Plan(call, argShapes, kwargs);
            refusal = null;
            return true;
        }
        catch (Exception e) when (e is InvalidCallException or UnsupportedCallException)
        {
            plan = null;
            refusal = e.Message;
            return false;
        }
    }

    /// <summary>Null when a convention handles <paramref name="call"/> and its library answers it live; else why
    /// not.</summary>
    public static string? NotLive(string call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var convention = Find(call);
        return convention is null
                ? $"{call} is not a call any ConvParity convention handles; it is never imported or run"
            : convention.NotLive is { } reason ? $"{call}: {reason}"
            : null;
    }

    private static IConvention? Find(string call) =>
        All.FirstOrDefault(c => c.Calls.Contains(call, StringComparer.Ordinal));

    /// <summary>Throws unless there are <paramref name="count"/> array arguments, or one more, a bias of
    /// <paramref name="biasLength"/> values (1-D): whether it is there.</summary>
    internal static bool RequireArgCountWithBias(
        string call,
        IReadOnlyList<int[]> argShapes,
        int count,
        string biasName,
        int biasLength
    )
    {
        if (argShapes.Count != count && argShapes.Count != count + 1)
            throw new InvalidCallException(
                call,
                null,
                $"takes {count} array arguments and an optional {biasName}; {argShapes.Count} given."
            );
        if (argShapes.Count == count)
            return false;
        var bias = argShapes[count];
        if (bias.Length != 1 || bias[0] != biasLength)
            throw new InvalidCallException(
                call,
                biasName,
                $"{biasName} has shape [{Tensor.FormatShape(bias)}]; [{biasLength}] expected "
                    + "(one per output channel)."
            );
        return true;
    }

    /// <summary>Throws unless there are exactly <paramref name="count"/> array arguments.</summary>
    internal static void RequireArgCount(string call, IReadOnlyList<int[]> argShapes, int count)
    {
        if (argShapes.Count != count)
            throw new InvalidCallException(call, null, $"takes {count} array arguments; {argShapes.Count} given.");
    }

    /// <summary>Throws unless the array has one of the allowed ranks.</summary>
    internal static void RequireRank(string call, string name, int[] shape, params int[] ranks)
    {
        if (!ranks.Contains(shape.Length))
            throw new InvalidCallException(
                call,
                null,
                $"{name} has shape [{Tensor.FormatShape(shape)}] ({shape.Length}-D); "
                    + $"{string.Join(" or ", ranks)}-D expected."
            );
    }
}
