using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>The per-case cap: its option's byte counts, each limit exactly at and one past, its messages, and the
/// one-at-a-time turn of large cases.</summary>
public sealed class CaseLimitsTests
{
    [TestCase("1", 1L)]
    [TestCase("1073741824", 1L << 30)]
    [TestCase(" 512M ", 512L << 20)]
    [TestCase("1K", 1L << 10)]
    [TestCase("1KiB", 1L << 10)]
    [TestCase("3k", 3L << 10)]
    [TestCase("1M", 1L << 20)]
    [TestCase("1MiB", 1L << 20)]
    [TestCase("2G", 2L << 30)]
    [TestCase("2GiB", 2L << 30)]
    [TestCase("2gib", 2L << 30)]
    [TestCase("4611686018427387904", 1L << 62)]
    [TestCase("4503599627370496K", 1L << 62)]
    [TestCase("4398046511104M", 1L << 62)]
    [TestCase("4294967296G", 1L << 62)]
    public void A_byte_count_is_a_positive_integer_with_an_optional_binary_suffix(string text, long bytes) =>
        Assert.That(CaseLimits.ParseBytes(text), Is.EqualTo(bytes));

    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("+1")]
    [TestCase("1.5G")]
    [TestCase("1 K")]
    [TestCase("1e3")]
    [TestCase("G")]
    [TestCase("")]
    [TestCase("1GK")]
    [TestCase("1KiBK")]
    [TestCase("1T")]
    [TestCase("4611686018427387905")]
    [TestCase("4503599627370497K")]
    [TestCase("4398046511105M")]
    [TestCase("4294967297G")]
    [TestCase("99999999999999999999")]
    public void Anything_else_is_refused_naming_the_option_and_the_text(string text) =>
        Assert.That(
            () => CaseLimits.ParseBytes(text),
            Throws
                .ArgumentException.With.Message.StartWith(
                    $"--max-case-bytes '{text}' is not a positive byte count (such as 1073741824, 512M or 2GiB)"
                )
                .And.Property(nameof(ArgumentException.ParamName))
                .EqualTo("text")
        );

    [Test]
    public void Parsing_null_is_a_programming_error() =>
        Assert.That(() => CaseLimits.ParseBytes(null!), Throws.ArgumentNullException);

    [TestCase(1023L, "1023 bytes")]
    [TestCase(1048575L, "1048575 bytes")]
    [TestCase(1048576L, "1048576 bytes (1 MiB)")]
    [TestCase(1572864L, "1572864 bytes (1.5 MiB)")]
    [TestCase(1073741823L, "1073741823 bytes (1024 MiB)")]
    [TestCase(1073741824L, "1073741824 bytes (1 GiB)")]
    [TestCase(3221225472L, "3221225472 bytes (3 GiB)")]
    [TestCase(1181116006L, "1181116006 bytes (1.1 GiB)")]
    public void A_byte_count_is_described_in_bytes_and_in_the_largest_binary_unit_it_reaches(long bytes, string text) =>
        Assert.That(CaseLimits.Describe(bytes), Is.EqualTo(text));

    [Test]
    public void The_reason_names_the_estimate_the_cap_and_where_it_applies_the_option()
    {
        Assert.That(
            CaseLimits.Exceeded("it takes", 2000, 1 << 20),
            Is.EqualTo(
                "it takes 2000 bytes, above the per-case cap of 1048576 bytes (1 MiB) (raise it with --max-case-bytes)"
            )
        );
        Assert.That(
            CaseLimits.Exceeded("it takes", (Int128)long.MaxValue * 4, 100, optionGiven: false),
            Is.EqualTo("it takes 36893488147419103228 bytes, above the per-case cap of 100 bytes")
        );
    }

    [Test]
    public void The_work_cap_is_two_multiply_adds_per_byte() =>
        Assert.That(CaseLimits.MaxWork(CaseLimits.DefaultMaxCaseBytes), Is.EqualTo(2147483648.0));

    [Test]
    public void Cases_up_to_an_eighth_of_the_cap_go_at_once()
    {
        const long cap = 8000;
        using var large = CaseLimits.LargeCaseTurn(cap / 8 + 1, cap);
        var small = Task.Run(() =>
        {
            using var a = CaseLimits.LargeCaseTurn(cap / 8, cap);
            using var b = CaseLimits.LargeCaseTurn(cap / 8, cap);
            using var c = CaseLimits.LargeCaseTurn(0, cap);
        });
        Assert.That(small.Wait(TimeSpan.FromSeconds(10)), Is.True, "a small case waited for a large one");
    }

    [Test]
    public void A_large_case_waits_for_the_large_case_in_flight_and_a_turn_is_given_back_once()
    {
        const long cap = 8000;
        var first = CaseLimits.LargeCaseTurn(cap / 8 + 1, cap);
        var second = Task.Run(() => CaseLimits.LargeCaseTurn(cap, cap));
        Assert.That(second.Wait(TimeSpan.FromMilliseconds(300)), Is.False, "two large cases ran together");
        first.Dispose();
        first.Dispose(); // a second Dispose gives nothing back: the semaphore's one slot is not exceeded
        Assert.That(second.Wait(TimeSpan.FromSeconds(10)), Is.True, "the turn was not given back");
        var third = Task.Run(() => CaseLimits.LargeCaseTurn(cap, cap));
        Assert.That(third.Wait(TimeSpan.FromMilliseconds(300)), Is.False, "the first turn was given back twice");
        second.Result.Dispose();
        Assert.That(third.Wait(TimeSpan.FromSeconds(10)), Is.True);
        third.Result.Dispose();
    }
}
