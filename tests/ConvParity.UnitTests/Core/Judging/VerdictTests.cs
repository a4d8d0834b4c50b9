using ConvParity.Judging;

namespace ConvParity.Tests;

/// <summary>What a verdict says about itself: its precision in bits, its quality in words, and its one-line
/// summary.</summary>
public sealed class VerdictTests
{
    private const string PerElement = "per-element gamma_n";

    private static Verdict Passed(double typicalRatio) => new(true, 4, 0, 0, null, 0.5, typicalRatio, PerElement, null);

    [TestCase(0.25, 24.0)]
    [TestCase(1.0, 24.0)]
    [TestCase(4.0, 22.0)]
    [TestCase(1024.0, 14.0)]
    public void Effective_bits_are_24_less_log2_of_the_typical_ratio_and_never_more_than_24(double ratio, double bits)
    {
        Assert.That(Passed(ratio).EffectiveBits, Is.EqualTo(bits));
    }

    [TestCase(0.0)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NaN)]
    public void Without_a_measurable_error_there_are_no_effective_bits_and_the_quality_is_exact(double ratio)
    {
        var verdict = Passed(ratio);

        Assert.That(verdict.EffectiveBits, Is.Null);
        Assert.That(verdict.Quality, Is.EqualTo("exact"));
    }

    // 16 x sqrt(n)*u*S is the last float32 quality; 2^23 leaves one correct bit, 2^24 none.
    [TestCase(16.0, "float32 quality")]
    [TestCase(17.0, "below float32 quality (about 20 significand bits of 24)")]
    [TestCase(8388608.0, "below float32 quality (about 1 significand bits of 24)")]
    [TestCase(16777216.0, "no correct bits: wrong values, not rounding")]
    public void Quality_names_the_precision_the_error_corresponds_to(double ratio, string quality)
    {
        Assert.That(Passed(ratio).Quality, Is.EqualTo(quality));
    }

    [Test]
    public void An_exact_pass_says_so_and_counts_what_it_did_not_judge()
    {
        var exact = new Verdict(true, 4, 0, 0, null, 0, 0, PerElement, null);

        Assert.That(exact.ToString(), Is.EqualTo("passed; exact"));
        Assert.That(
            (exact with { NotJudged = 3 }).ToString(),
            Is.EqualTo("passed; exact; 3 elements not judged (the FFT reference spread NaN/Inf over them)")
        );
    }

    [Test]
    public void A_failure_names_its_count_its_worst_element_its_quality_and_its_likely_cause()
    {
        var worst = new ElementVerdict([1, 2], 1.5f, 1f, 0.5, 0.25, 2);
        var failed = new Verdict(false, 10, 2, 1, worst, 2, 300, PerElement, null)
        {
            LikelyCause = "kernel not flipped",
        };

        Assert.That(
            failed.ToString(),
            Is.EqualTo(
                "2 of 10 elements beyond the bound (1 NaN/Inf mismatches); worst [1, 2] actual 1.5 expected 1 "
                    + "|diff| 0.5 bound 0.25 (2 x bound); 300 x sqrt(n)*u*S (below float32 quality (about 16 "
                    + "significand bits of 24)); per-element gamma_n; likely cause: kernel not flipped"
            )
        );
        Assert.That(
            (failed with { NonFiniteMismatches = 0, LikelyCause = null }).ToString(),
            Does.StartWith("2 of 10 elements beyond the bound; worst [1, 2]").And.EndWith("; per-element gamma_n")
        );
    }

    [Test]
    public void A_comparison_that_could_not_be_made_fails_with_its_reason_alone()
    {
        var mismatch = Verdict.Mismatch("result shape [3] differs from the reference's [4]", PerElement);

        Assert.That(mismatch.Passed, Is.False);
        Assert.That((mismatch.Elements, mismatch.Failures, mismatch.Worst), Is.EqualTo((0, 0, (ElementVerdict?)null)));
        Assert.That(mismatch.WorstRatio, Is.EqualTo(double.PositiveInfinity));
        Assert.That(mismatch.BoundKind, Is.EqualTo(PerElement));
        Assert.That(mismatch.ToString(), Is.EqualTo("result shape [3] differs from the reference's [4]"));
    }
}
