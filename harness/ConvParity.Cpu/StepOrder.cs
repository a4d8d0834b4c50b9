namespace ConvParity.Cpu;

/// <summary>
/// The order of a dense call's steps (input channel c, tap t), in which its weights are packed and its kernel reads
/// them: slices of <paramref name="SliceChannels"/> channels, each one row of taps after another
/// (<paramref name="Rows"/> rows of Taps / Rows taps, see <see cref="ZeroAxis"/>), so that a block that leaves out its
/// first or last rows skips one stretch of each slice. With one row and one slice, channel by channel.
/// </summary>
internal readonly record struct StepOrder(int Channels, int Taps, int Rows, int SliceChannels)
{
    /// <summary>Channel by channel, each with all its taps.</summary>
    public static StepOrder ByChannel(int channels, int taps) => new(channels, taps, 1, Math.Max(channels, 1));

    /// <summary>Taps in a row.</summary>
    public int RowTaps => Taps / Rows;

    /// <summary>Steps of a slice: its channels' taps.</summary>
    public int SliceSteps => SliceChannels * Taps;

    /// <summary>Where step (<paramref name="c"/>, <paramref name="t"/>) comes.</summary>
    public long Index(int c, int t)
    {
        var (start, rowStride) = Channel(c);
        return start + t / RowTaps * rowStride + t % RowTaps;
    }

    /// <summary>Where channel <paramref name="c"/>'s first step comes, and how far apart its rows of taps are (each
    /// row one stretch of steps).</summary>
    public (long Start, long RowStride) Channel(int c)
    {
        int first = c / SliceChannels * SliceChannels,
            channels = Math.Min(SliceChannels, Channels - first);
        return ((long)first * Taps + (long)(c - first) * RowTaps, (long)channels * RowTaps);
    }
}
