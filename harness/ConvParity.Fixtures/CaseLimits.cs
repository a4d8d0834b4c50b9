using System.Globalization;

namespace ConvParity.Fixtures;

/// <summary>
/// How much memory one fixture case may ask for. A case's arrays are counted as the larger of their
/// stored size and their size as float32 (what the checker holds), from the sizes their headers and
/// archive declare, before anything is allocated or inflated.
/// </summary>
public static class CaseLimits
{
    /// <summary>The default cap on the bytes of one case's arrays: 1 GiB.</summary>
    public const long DefaultMaxCaseBytes = 1L << 30;

    /// <summary>The command-line option that changes the cap.</summary>
    public const string Option = "--max-case-bytes";

    /// <summary>
    /// Parses a byte count: a positive integer, optionally followed by K, M or G (or KiB, MiB, GiB;
    /// powers of 1024), for example <c>1073741824</c>, <c>512M</c>, <c>2GiB</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Not such a count, or more than 2^62 bytes.</exception>
    public static long ParseBytes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        int shift = 0;
        foreach (var (suffix, bits) in new[] { ("KiB", 10), ("MiB", 20), ("GiB", 30), ("K", 10), ("M", 20), ("G", 30) })
        {
            if (!t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            (t, shift) = (t[..^suffix.Length], bits);
            break;
        }
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count < 1 || count > (1L << 62) >> shift)
            throw new ArgumentException($"{Option} '{text}' is not a positive byte count (such as 1073741824, 512M or 2GiB)", nameof(text));
        return count << shift;
    }

    /// <summary>The reason a case is refused: "{what} N bytes, above the per-case cap of ... (raise it with --max-case-bytes)".</summary>
    public static string Exceeded(string what, Int128 bytes, long cap) =>
        $"{what} {bytes} bytes, above the per-case cap of {Describe(cap)} (raise it with {Option})";

    /// <summary>A byte count as a person reads it: "1073741824 bytes (1 GiB)".</summary>
    public static string Describe(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes} bytes ({bytes / (double)(1L << 30):0.##} GiB)",
        >= 1L << 20 => $"{bytes} bytes ({bytes / (double)(1L << 20):0.##} MiB)",
        _ => $"{bytes} bytes",
    };
}
