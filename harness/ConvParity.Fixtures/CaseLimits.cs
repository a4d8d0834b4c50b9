using System.Globalization;

namespace ConvParity.Fixtures;

/// <summary>
/// How much memory one fixture case may take while it is checked, estimated from the shapes its headers
/// declare before anything is allocated or inflated: <see cref="BytesPerElement"/> per element of its
/// arrays. Cases estimated above an eighth of the cap are checked one at a time (<see cref="LargeCaseTurn"/>),
/// so the cases in flight together stay near the cap.
/// </summary>
public static class CaseLimits
{
    /// <summary>
    /// Bytes a case takes per element of its arrays while checked: the arrays as float32 (4), their absolute
    /// values and the judge's double-precision bound and spread (up to 28 per output element), and an engine's
    /// answer in double and float32 (12 per output element); 48 covers a case whose arrays are all outputs.
    /// </summary>
    public const int BytesPerElement = 48;

    /// <summary>
    /// The most multiply-adds one engine may spend on a case under <paramref name="maxCaseBytes"/>: two per byte
    /// (2^31 under the default cap, some seconds for the reference engine, most of a minute on ILGPU's CPU simulator).
    /// </summary>
    public static double MaxWork(long maxCaseBytes) => 2.0 * maxCaseBytes;

    private static readonly SemaphoreSlim LargeCases = new(1, 1);

    /// <summary>
    /// Waits for the turn of a case estimated at <paramref name="estimatedBytes"/>: one large case (above an eighth of
    /// <paramref name="maxCaseBytes"/>) at a time; small cases go at once. Dispose the result when the case is done.
    /// </summary>
    public static IDisposable LargeCaseTurn(long estimatedBytes, long maxCaseBytes)
    {
        if (estimatedBytes <= maxCaseBytes / 8)
            return Turn.None;
        LargeCases.Wait();
        return new Turn();
    }

    private sealed class Turn : IDisposable
    {
        public static readonly IDisposable None = new NoTurn();
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                LargeCases.Release();
        }

        private sealed class NoTurn : IDisposable
        {
            public void Dispose() { }
        }
    }

    /// <summary>The default cap on the memory one case takes while checked: 1 GiB (arrays of about 22 million elements
    /// in all).</summary>
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
            if (!t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                continue;
            (t, shift) = (t[..^suffix.Length], bits);
            break;
        }
        if (
            !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out long count)
            || count < 1
            || count > (1L << 62) >> shift
        )
            throw new ArgumentException(
                $"{Option} '{text}' is not a positive byte count (such as 1073741824, 512M or 2GiB)",
                nameof(text)
            );
        return count << shift;
    }

    /// <summary>The reason a case is refused: "{what} N bytes, above the per-case cap of ... (raise it with
    /// --max-case-bytes)".</summary>
    public static string Exceeded(string what, Int128 bytes, long cap, bool optionGiven = true) =>
        $"{what} {bytes} bytes, "
        + $"above the per-case cap of {Describe(cap)}{(optionGiven ? $" (raise it with {Option})" : "")}";

    /// <summary>A byte count as a person reads it: "1073741824 bytes (1 GiB)".</summary>
    public static string Describe(long bytes) =>
        bytes switch
        {
            >= 1L << 30 => $"{bytes} bytes ({bytes / (double)(1L << 30):0.##} GiB)",
            >= 1L << 20 => $"{bytes} bytes ({bytes / (double)(1L << 20):0.##} MiB)",
            _ => $"{bytes} bytes",
        };
}
