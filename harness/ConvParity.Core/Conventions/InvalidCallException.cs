namespace ConvParity.Conventions;

/// <summary>
/// A call the library itself would refuse (its arguments break the library's own rules), as opposed to
/// <see cref="UnsupportedCallException"/>, a call the library may take but no convention here handles. It
/// names the call and, when one keyword argument is the reason, the library's keyword; a checker reports
/// such a case as refused, to be matched against the library's own refusal.
/// </summary>
public sealed class InvalidCallException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="call"/>, naming <paramref name="keyword"/> when one is the
    /// reason.</summary>
    /// <param name="call">The library call, fully qualified.</param>
    /// <param name="keyword">The library's keyword argument that is the reason, if one is.</param>
    /// <param name="message">What the library would refuse, and why.</param>
    public InvalidCallException(string call, string? keyword, string message)
        : base(keyword is null ? $"{call}: {message}" : $"{call}: argument '{keyword}': {message}")
    {
        Call = call;
        Keyword = keyword;
    }

    /// <summary>The library call.</summary>
    public string Call { get; }

    /// <summary>The library's keyword argument that is the reason, if one is (a Python name, not a .NET
    /// parameter).</summary>
    public string? Keyword { get; }
}
