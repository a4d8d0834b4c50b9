using ConvParity.Cpu;
using ConvParity.Problems;

namespace ConvParity.Tests;

/// <summary>Which taps along an axis a block of output positions reads inside the data: the dense kernel leaves the
/// others out, so a tap kept in vain costs time and a tap left out in error changes the result.</summary>
public sealed class ZeroAxisTests
{
    private static ConvProblem Problem(
        int[] input,
        int[] kernel,
        int pad,
        int stride = 1,
        int dilation = 1,
        Boundary? boundary = null
    ) =>
        new(
            new()
            {
                Batch = 1,
                InChannels = 2,
                OutChannels = 2,
                InputSize = input,
                KernelSize = kernel,
                PadBefore = [.. input.Select(_ => pad)],
                PadAfter = [.. input.Select(_ => pad)],
                Stride = [.. input.Select(_ => stride)],
                Dilation = [.. input.Select(_ => dilation)],
                Boundary = boundary ?? Boundary.Zero,
            }
        );

    /// <summary>The forward map's zero rows and columns: X is the input extended by the problem's boundary.</summary>
    private static (ZeroAxis? Rows, ZeroAxis? Columns) Zeros(ConvProblem problem)
    {
        var s = new Geometry(problem);
        return ZeroAxis.Of(PlaneBox.Forward(s, problem.Boundary), s.Output, s.Stride, s.Kernel, s.Dilation);
    }

    /// <summary>The forward map's zero rows.</summary>
    private static ZeroAxis? Forward(ConvProblem problem) => Zeros(problem).Rows;

    [Test]
    public void Rows_of_14_padded_by_one_leave_out_the_top_and_bottom_rows_of_taps()
    {
        // cnn-c's planes: the first output row reads padding in its first row of taps, the last in its last.
        var zeros = Forward(Problem([14, 14], [3, 3], 1))!;
        Assert.That(zeros.Kept(0, 13), Is.EqualTo((1, 3)));
        Assert.That(zeros.Kept(14, 27), Is.EqualTo((0, 3)));
        Assert.That(zeros.Kept(182, 195), Is.EqualTo((0, 2)));
        // A block over the first two rows needs every row of taps for the second.
        Assert.That(zeros.Kept(7, 20), Is.EqualTo((0, 3)));
        // Blocks of 14: 2 rows of taps left out of 14 blocks of 3.
        Assert.That(zeros.LeftOut(196, 14), Is.EqualTo(2.0 / 42).Within(1e-12));
        Assert.That(zeros.LeftOut(196, 12), Is.EqualTo(2.0 / 51).Within(1e-12));
    }

    [Test]
    public void Columns_of_14_padded_by_one_leave_out_the_first_and_last_taps_at_the_ends()
    {
        var columns = Zeros(Problem([14, 14], [3, 3], 1)).Columns!;
        Assert.That(columns.Kept(0, 0), Is.EqualTo((1, 3)));
        Assert.That(columns.Kept(13, 13), Is.EqualTo((0, 2)));
        Assert.That(columns.Kept(14, 14), Is.EqualTo((1, 3)), "the next row's first position");
        Assert.That(columns.Kept(1, 12), Is.EqualTo((0, 3)));
        Assert.That(columns.Kept(13, 14), Is.EqualTo((0, 3)), "the end of one row and the start of the next");
    }

    [Test]
    public void A_kernel_of_one_axis_has_rows_and_no_columns()
    {
        var (rows, columns) = Zeros(Problem([20], [5], 2));
        Assert.That(rows!.Taps, Is.EqualTo(5));
        Assert.That(columns, Is.Null);
    }

    [Test]
    public void Dilated_taps_leave_out_the_rows_past_the_data()
    {
        // 'same' with 3 taps 2 apart on 10 positions: data at [2, 12) of X.
        var zeros = Forward(Problem([10], [3], 2, dilation: 2))!;
        Assert.That(zeros.Kept(0, 1), Is.EqualTo((1, 3)));
        Assert.That(zeros.Kept(2, 7), Is.EqualTo((0, 3)));
        Assert.That(zeros.Kept(8, 9), Is.EqualTo((0, 2)));
    }

    [Test]
    public void Strided_positions_keep_every_row_that_one_of_them_reads()
    {
        // Stride 2 on 8 rows: output row 3 reads rows 6 to 8 of the input, inside.
        var zeros = Forward(Problem([8, 8], [3, 3], 1, stride: 2))!;
        Assert.That(zeros.Kept(0, 3), Is.EqualTo((1, 3)));
        Assert.That(zeros.Kept(12, 15), Is.EqualTo((0, 3)));
    }

    [Test]
    public void Positions_that_read_only_padding_keep_no_row()
    {
        var zeros = Forward(Problem([4], [3], 3))!;
        Assert.That(zeros.Kept(0, 0), Is.EqualTo((3, 3)));
        Assert.That(zeros.Kept(1, 1), Is.EqualTo((2, 3)));
        Assert.That(zeros.Kept(6, 6), Is.EqualTo((0, 1)));
        Assert.That(zeros.Kept(7, 7), Is.EqualTo((0, 0)));
        var farther = Forward(Problem([4], [3], 4))!;
        Assert.That(farther.Kept(0, 0), Is.EqualTo((3, 3)));
        Assert.That(farther.Kept(9, 9), Is.EqualTo((0, 0)));
    }

    [Test]
    public void A_block_over_two_planes_keeps_every_row()
    {
        // Kernel 1x3x3: the row axis is the middle one, and positions 10 to 13 run from the last row of the first plane
        // of 3x4 into the first row of the second.
        var zeros = Forward(Problem([2, 3, 4], [1, 3, 3], 1))!;
        Assert.That(zeros.Kept(8, 11), Is.EqualTo((0, 2)));
        Assert.That(zeros.Kept(12, 15), Is.EqualTo((1, 3)));
        Assert.That(zeros.Kept(10, 13), Is.EqualTo((0, 3)));
    }

    [Test]
    public void Only_a_zero_outside_the_input_is_left_out()
    {
        Assert.That(
            Zeros(Problem([6, 6], [3, 3], 1, boundary: Boundary.Constant(1.5f))),
            Is.EqualTo(((ZeroAxis?)null, (ZeroAxis?)null))
        );
        Assert.That(Forward(Problem([6, 6], [3, 3], 1, boundary: new Boundary(BoundaryKind.Reflect))), Is.Null);
        Assert.That(Forward(Problem([6, 6], [3, 3], 0)), Is.Null, "nothing padded");
        Assert.That(Forward(Problem([6, 6], [1, 1], 1)), Is.Null, "one tap");
        Assert.That(Forward(Problem([6, 6], [3, 3], 1, boundary: Boundary.Constant(0f))), Is.Not.Null);
    }

    [Test]
    public void The_input_gradient_leaves_out_the_rows_and_columns_outside_dy()
    {
        // dx of 14x14 (3x3, pad 1) reads dy extended by one zero each side, the kernel reversed.
        var s = new Geometry(Problem([14, 14], [3, 3], 1));
        var (rows, columns) = ZeroAxis.Of(PlaneBox.Gradient(s), s.Input, [1, 1, 1], s.Kernel, s.Dilation);
        Assert.That(rows!.Kept(0, 13), Is.EqualTo((1, 3)));
        Assert.That(rows.Kept(182, 195), Is.EqualTo((0, 2)));
        Assert.That(columns!.Kept(0, 0), Is.EqualTo((1, 3)));
        Assert.That(columns.Kept(195, 195), Is.EqualTo((0, 2)));
    }
}
