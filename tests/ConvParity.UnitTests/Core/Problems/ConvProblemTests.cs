using ConvParity.Problems;

namespace ConvParity.Tests;

public sealed class ConvProblemTests
{
    private static ConvProblem Make(
        int batch = 1,
        int inChannels = 2,
        int outChannels = 2,
        int[]? inputSize = null,
        int[]? kernelSize = null,
        int[]? padBefore = null,
        int[]? padAfter = null,
        int[]? stride = null,
        int[]? dilation = null,
        int groups = 1
    ) =>
        new(
            new()
            {
                Batch = batch,
                InChannels = inChannels,
                OutChannels = outChannels,
                InputSize = inputSize ?? [5, 5],
                KernelSize = kernelSize ?? [3, 3],
                PadBefore = padBefore,
                PadAfter = padAfter,
                Stride = stride,
                Dilation = dilation,
                Groups = groups,
            }
        );

    private static void AssertRefused(Action build, string parameter, params string[] mentions)
    {
        var e = Assert.Catch<ArgumentException>(() => build())!;
        Assert.That(e.ParamName, Is.EqualTo(parameter), e.Message);
        foreach (string m in mentions)
            Assert.That(e.Message, Does.Contain(m));
    }

    [Test]
    public void Output_size_follows_the_general_formula()
    {
        var p = Make(
            inputSize: [10, 7],
            kernelSize: [3, 2],
            padBefore: [1, 0],
            padAfter: [2, 1],
            stride: [2, 3],
            dilation: [2, 1]
        );
        // (10 + 3 - 5) / 2 + 1 = 5 ; (7 + 1 - 2) / 3 + 1 = 3
        Assert.That(p.OutputSize, Is.EqualTo(new[] { 5, 3 }));
        Assert.That(p.OutputShape, Is.EqualTo(new[] { 1, 2, 5, 3 }));
        Assert.That(p.WeightShape, Is.EqualTo(new[] { 2, 2, 3, 2 }));
    }

    [Test]
    public void Unshared_weights_carry_the_output_positions()
    {
        var p = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 4,
                OutChannels = 6,
                InputSize = [5, 6],
                KernelSize = [2, 3],
                Groups = 2,
                Unshared = true,
            }
        );
        Assert.That(p.WeightShape, Is.EqualTo(new[] { 6, 4, 4, 2, 2, 3 }));
    }

    [Test]
    public void Stride_below_one_is_refused() => AssertRefused(() => Make(stride: [1, 0]), "stride", "1, 0");

    [Test]
    public void Dilation_below_one_is_refused() => AssertRefused(() => Make(dilation: [0, 1]), "dilation", "0, 1");

    [Test]
    public void Negative_padding_is_refused() => AssertRefused(() => Make(padBefore: [-1, 0]), "padBefore", "-1, 0");

    [Test]
    public void Negative_padding_after_is_refused() =>
        AssertRefused(() => Make(padAfter: [0, -2]), "padAfter", "0, -2");

    [Test]
    public void Input_channels_not_divisible_by_groups_are_refused() =>
        AssertRefused(() => Make(inChannels: 3, outChannels: 4, groups: 2), "groups", "inChannels 3", "groups 2");

    [Test]
    public void Output_channels_not_divisible_by_groups_are_refused() =>
        AssertRefused(() => Make(inChannels: 4, outChannels: 3, groups: 2), "groups", "outChannels 3");

    [Test]
    public void Zero_batch_is_refused() => AssertRefused(() => Make(batch: 0), "batch", "0");

    [Test]
    public void Zero_channels_are_refused() => AssertRefused(() => Make(inChannels: 0), "inChannels", "0");

    [Test]
    public void Zero_groups_are_refused() => AssertRefused(() => Make(groups: 0), "groups", "0");

    [Test]
    public void Empty_kernel_is_refused() => AssertRefused(() => Make(kernelSize: [0, 3]), "kernelSize", "0, 3");

    [Test]
    public void Empty_input_is_refused() => AssertRefused(() => Make(inputSize: [5, 0]), "inputSize", "5, 0");

    [TestCase("batch")]
    [TestCase("groups")]
    [TestCase("stride")]
    [TestCase("padAfter")]
    public void A_value_out_of_its_range_is_refused_as_out_of_range_naming_the_value(string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            _ = parameter switch
            {
                "batch" => Make(batch: -3),
                "groups" => Make(groups: 0),
                "stride" => Make(stride: [2, 0]),
                _ => Make(padAfter: [0, -1]),
            }
        )!;
        Assert.Multiple(() =>
        {
            Assert.That(e.ParamName, Is.EqualTo(parameter));
            Assert.That(
                e.ActualValue?.ToString(),
                Is.EqualTo(
                    parameter switch
                    {
                        "batch" => "-3",
                        "groups" => "0",
                        "stride" => "[2, 0]",
                        _ => "[0, -1]",
                    }
                )
            );
            Assert.That(e.Message, Does.Contain("must be at least"));
        });
    }

    [Test]
    public void A_rule_other_than_a_range_is_refused_as_an_argument_error() =>
        Assert.That(
            () => Make(inChannels: 3, outChannels: 4, groups: 2),
            Throws.TypeOf<ArgumentException>().With.Property(nameof(ArgumentException.ParamName)).EqualTo("groups")
        );

    [Test]
    public void Empty_output_is_refused() =>
        AssertRefused(
            () => Make(inputSize: [5, 5], kernelSize: [3, 4], dilation: [1, 2]),
            "kernelSize",
            "axis 1",
            "effective kernel 7"
        );

    [Test]
    public void No_spatial_axes_are_refused() =>
        AssertRefused(() => Make(inputSize: [], kernelSize: []), "inputSize", "0 spatial axes");

    [Test]
    public void Four_spatial_axes_are_refused() =>
        AssertRefused(() => Make(inputSize: [3, 3, 3, 3], kernelSize: [1, 1, 1, 1]), "inputSize", "4 spatial axes");

    [Test]
    public void Kernel_rank_mismatch_is_refused() =>
        AssertRefused(() => Make(kernelSize: [3]), "kernelSize", "1 entries", "2 spatial axes");

    [Test]
    public void Stride_rank_mismatch_is_refused() =>
        AssertRefused(() => Make(stride: [1, 1, 1]), "stride", "3 entries");

    [Test]
    public void Sizes_that_overflow_are_refused() =>
        AssertRefused(
            () =>
                new ConvProblem(
                    new()
                    {
                        Batch = 1 << 16,
                        InChannels = 1 << 10,
                        OutChannels = 1,
                        InputSize = [1 << 10, 1 << 10],
                        KernelSize = [1, 1],
                    }
                ),
            "input",
            "elements"
        );

    [Test]
    public void Extents_that_overflow_are_refused() =>
        AssertRefused(
            () => Make(inputSize: [int.MaxValue, 5], padAfter: [10, 0], kernelSize: [1, 1]),
            "inputSize",
            "overflow"
        );

    [TestCase(BoundaryKind.Reflect, new[] { 1, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0 })]
    [TestCase(BoundaryKind.Mirror, new[] { 2, 1, 0, 1, 2, 3, 2, 1, 0, 1, 2 })]
    [TestCase(BoundaryKind.Nearest, new[] { 0, 0, 0, 1, 2, 3, 3, 3, 3, 3, 3 })]
    [TestCase(BoundaryKind.Wrap, new[] { 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0 })]
    [TestCase(BoundaryKind.Zero, new[] { -1, -1, 0, 1, 2, 3, -1, -1, -1, -1, -1 })]
    public void Boundary_maps_positions_periodically(BoundaryKind kind, int[] expected)
    {
        // Positions -2 .. 8 of an axis of length 4 (a b c d), as docs/conventions.md draws them.
        var boundary = new Boundary(kind);
        Assert.That(Enumerable.Range(-2, 11).Select(p => boundary.Map(p, 4)), Is.EqualTo(expected));
    }

    [Test]
    public void Mirror_of_a_single_element_repeats_it() =>
        Assert.That(
            Enumerable.Range(-3, 7).Select(p => new Boundary(BoundaryKind.Mirror).Map(p, 1)),
            Is.All.EqualTo(0)
        );
}
