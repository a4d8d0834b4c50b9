using ConvParity.Fixtures;

namespace ConvParity.Python.Generation;

/// <summary>A library's refusal of a call, as a fixture records it ("raises": {"type", "message"}).</summary>
public static class Refusal
{
    /// <summary>What <paramref name="error"/> says, as a fixture's "raises": its Python type and the first paragraph of
    /// its message.</summary>
    public static FixtureRaises Of(PythonCallException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new FixtureRaises(error.PythonType, FirstParagraph(error.PythonMessage));
    }

    /// <summary>
    /// The message up to its first blank line or Theano's addendum, whichever comes first: the library's
    /// own words, without what Theano appends to errors raised while a compiled function runs ("Apply node
    /// that caused the error: ...", the graph, hints), which names temporary objects and changes from run to run.
    /// </summary>
    public static string FirstParagraph(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        string text = message.Replace("\r\n", "\n", StringComparison.Ordinal);
        int end = new[]
        {
            text.IndexOf("\n\n", StringComparison.Ordinal),
            text.IndexOf(TheanoAddendum, StringComparison.Ordinal),
        }
            .Where(i => i >= 0)
            .DefaultIfEmpty(text.Length)
            .Min();
        return text[..end].Trim();
    }

    private const string TheanoAddendum = "\nApply node that caused the error";
}
