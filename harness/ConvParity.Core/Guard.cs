namespace ConvParity;

/// <summary>
/// The one way Core refuses an argument of its own API: an <see cref="ArgumentOutOfRangeException"/> for a
/// value outside its range, an <see cref="ArgumentException"/> for one that breaks another rule, each naming
/// the parameter, its value and the rule.
/// </summary>
internal static class Guard
{
    /// <summary>The error for <paramref name="name"/> = <paramref name="value"/>, outside the range <paramref
    /// name="rule"/> states.</summary>
    public static ArgumentOutOfRangeException OutOfRange(string name, object? value, string rule) =>
        new(name, value, rule);

    /// <summary>The error for <paramref name="name"/>, which breaks <paramref name="rule"/> (a rule other than a
    /// range).</summary>
    public static ArgumentException Invalid(string name, string rule) => new(rule, name);

    /// <summary>Throws unless the array <paramref name="name"/> has the shape <paramref name="user"/> needs.</summary>
    /// <exception cref="ArgumentException">The shapes differ; the message names the array and both shapes.</exception>
    public static void Shape(string name, IReadOnlyList<int> actual, IReadOnlyList<int> expected, string user)
    {
        if (!actual.SequenceEqual(expected))
            throw Invalid(
                name,
                $"{name} has shape [{Tensors.Tensor.FormatShape(actual)}]; "
                    + $"{user} needs [{Tensors.Tensor.FormatShape(expected)}]."
            );
    }
}
