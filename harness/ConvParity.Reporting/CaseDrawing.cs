using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Judging;
using ConvParity.Tensors;

namespace ConvParity.Reporting;

/// <summary>
/// The pictures of one case, drawn once for every engine: a 1-D result as lines (the expected values and each
/// engine's answer, error / bound below), a 2-D result as heatmaps of the expected values and of error / bound with
/// the worst element framed, an N-D result as the 2-D slice holding the worst element. Axes of extent 1 do not
/// count; a single value is not drawn (the verdict table holds it). Long results are shown as a window around the
/// worst element. Every engine is re-run on the case, since the check keeps no answers.
/// </summary>
/// <param name="Figures">The figures, as SVG text.</param>
/// <param name="Note">What is drawn (which slice or window), or why nothing is.</param>
internal sealed record CaseDrawing(IReadOnlyList<string> Figures, string Note)
{
    /// <summary>The longest 1-D window drawn.</summary>
    public const int LineWindow = 2048;

    /// <summary>The largest 2-D window drawn, per axis.</summary>
    public const int HeatmapWindow = 160;

    /// <summary>Error maps drawn per case at most (the failing engines first).</summary>
    public const int ErrorMaps = 3;

    /// <summary>Draws <paramref name="group"/>; <paramref name="colors"/> gives each engine its colour.</summary>
    public static CaseDrawing Draw(
        CaseGroup group,
        IReadOnlyList<IConvEngine> engines,
        IReadOnlyDictionary<string, string> colors
    )
    {
        if (!group.Results.Any(r => r.Verdict is { Reason: null }))
            return new([], "No engine's answer could be compared with the library's: nothing to draw.");
        var check = FixtureCheck.Prepare(group.Run.Suite, group.Case);
        if (check.Plan is not { } plan || check.Bound is not { } bound || check.Operands is not { } operands)
            return new([], $"Not drawn: {check.PreparationProblem}");
        var answers = new List<(CaseResult Result, Tensor Actual)>();
        foreach (var result in group.Results.Where(r => r.Verdict is { Reason: null }))
        {
            if (engines.FirstOrDefault(e => e.Name == result.Engine) is not { } engine)
                continue;
            try
            {
                var actual = plan.Result(engine.Run(plan.Problem, plan.Operation, operands.First, operands.Second));
                if (Tensor.SameShape(actual.Shape, bound.Expected.Shape))
                    answers.Add((result, actual));
            }
            catch (Exception) // the engine's failure is already the verdict in the table; it is simply not drawn
            {
                continue;
            }
        }
        if (answers.Count == 0)
            return new([], "Not drawn: no engine gave its answer again.");
        var shape = bound.Expected.Shape;
        var featured = answers.OrderByDescending(a => a.Result.Verdict!.WorstRatio).First().Result;
        int[] worst = featured.Verdict!.Worst is { } w ? [.. w.Index] : new int[shape.Count];
        var axes = Enumerable.Range(0, shape.Count).Where(d => shape[d] > 1).ToArray();
        if (axes.Length == 0)
            return new([], "A single value: nothing to draw; the values are in the verdicts above.");
        var ratios = answers.ToDictionary(
            a => a.Result.Engine,
            a => Enumerable.Range(0, a.Actual.Length).Select(i => bound.RatioAt(a.Actual.Span, i)).ToArray()
        );
        return axes.Length == 1
            ? Line(group, bound, answers, ratios, colors, worst, axes[0])
            : Maps(bound, answers, ratios, worst, axes[^2], axes[^1], featured);
    }

    private static CaseDrawing Line(
        CaseGroup group,
        ErrorBound bound,
        List<(CaseResult Result, Tensor Actual)> answers,
        Dictionary<string, double[]> ratios,
        IReadOnlyDictionary<string, string> colors,
        int[] worst,
        int axis
    )
    {
        var shape = bound.Expected.Shape;
        int length = shape[axis],
            count = Math.Min(length, LineWindow),
            start = Math.Clamp(worst[axis] - count / 2, 0, length - count);
        int stride = Strides(shape)[axis],
            offset = Offset(shape, worst) - worst[axis] * stride;
        double[] Take(Func<int, double> at) => [.. Enumerable.Range(start, count).Select(i => at(offset + i * stride))];
        var expected = Take(i => bound.Expected.Span[i]);
        var series = answers
            .Select(a =>
                (
                    a.Result.Engine,
                    colors[a.Result.Engine],
                    Take(i => a.Actual.Span[i]),
                    Take(i => ratios[a.Result.Engine][i])
                )
            )
            .ToList();
        string where = Where(shape, worst, [axis]);
        string window = count < length ? $", elements {start} to {start + count - 1} of {length} around the worst" : "";
        string svg = SvgFigure.Lines(
            $"{group.Case.Call}: expected, each engine's answer, and error / bound",
            $"index along axis {axis} of the result [{Tensor.FormatShape(shape)}]",
            start,
            expected,
            series,
            worst[axis] - start
        );
        return new([svg], $"The result {where}{window}; the worst element is circled in red.");
    }

    private static CaseDrawing Maps(
        ErrorBound bound,
        List<(CaseResult Result, Tensor Actual)> answers,
        Dictionary<string, double[]> ratios,
        int[] worst,
        int rowAxis,
        int columnAxis,
        CaseResult featured
    )
    {
        var shape = bound.Expected.Shape;
        var strides = Strides(shape);
        int rows = Math.Min(shape[rowAxis], HeatmapWindow),
            columns = Math.Min(shape[columnAxis], HeatmapWindow);
        int row0 = Math.Clamp(worst[rowAxis] - rows / 2, 0, shape[rowAxis] - rows),
            column0 = Math.Clamp(worst[columnAxis] - columns / 2, 0, shape[columnAxis] - columns);
        int offset = Offset(shape, worst) - worst[rowAxis] * strides[rowAxis] - worst[columnAxis] * strides[columnAxis];
        double[,] Plane(Func<int, double> at)
        {
            var plane = new double[rows, columns];
            for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                plane[r, c] = at(offset + (row0 + r) * strides[rowAxis] + (column0 + c) * strides[columnAxis]);
            return plane;
        }
        var marked = ((int Row, int Column)?)(worst[rowAxis] - row0, worst[columnAxis] - column0);
        var origin = (row0, column0);
        var axisNames = ($"axis {rowAxis}", $"axis {columnAxis}");
        var expected = Plane(i =>
        {
            float e = bound.Expected.Span[i];
            return float.IsNaN(e) ? double.NaN
                : float.IsInfinity(e) ? double.PositiveInfinity
                : e;
        });
        var finite = expected.Cast<double>().Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        var figures = new List<string>
        {
            SvgFigure.Heatmap(
                "expected (the library's answer)",
                "value",
                expected,
                finite.Min(),
                finite.Max(),
                SvgFigure.Format,
                origin,
                marked,
                axisNames
            ),
        };
        var drawn = answers.Where(a => a.Result.Outcome == CaseOutcome.Failed).Select(a => a.Result).ToList();
        if (drawn.Count == 0)
            drawn.Add(featured);
        foreach (var result in drawn.Take(ErrorMaps))
        {
            var ratio = ratios[result.Engine];
            var plane = Plane(i =>
                ratio[i] switch
                {
                    double.NaN => double.NaN,
                    double.PositiveInfinity => double.PositiveInfinity,
                    0 => -4,
                    var r => Math.Max(-4, Math.Log10(r)),
                }
            );
            double high = Math.Max(
                1,
                Math.Ceiling(plane.Cast<double>().Where(double.IsFinite).DefaultIfEmpty(0).Max())
            );
            var own =
                result.Verdict!.Worst is { } w && SameSlice(w.Index, worst, rowAxis, columnAxis)
                    ? ((int Row, int Column)?)(w.Index[rowAxis] - row0, w.Index[columnAxis] - column0)
                    : null;
            if (own is { } o && (o.Row < 0 || o.Row >= rows || o.Column < 0 || o.Column >= columns))
                own = null;
            figures.Add(
                SvgFigure.Heatmap(
                    $"error / bound: {result.Engine}",
                    "error / bound",
                    plane,
                    -4,
                    high,
                    SvgFigure.Decade,
                    origin,
                    own,
                    axisNames
                )
            );
        }
        string window =
            rows < shape[rowAxis] || columns < shape[columnAxis]
                ? $", rows {row0} to {row0 + rows - 1} of {shape[rowAxis]} and columns {column0} to "
                    + $"{column0 + columns - 1} of {shape[columnAxis]} around the worst"
                : "";
        string maps = drawn.Count > ErrorMaps ? $" (the first {ErrorMaps} failing engines)" : "";
        return new(
            figures,
            $"The slice {Where(shape, worst, [rowAxis, columnAxis])}{window}: the expected values, and error / bound "
                + $"per engine{maps} on a log scale (1 = the bound; red cells: NaN/Inf where the library has none, "
                + $"or the reverse; grey: not judged); the worst element ({featured.Engine}'s) is framed in red."
        );
    }

    private static bool SameSlice(IReadOnlyList<int> index, int[] worst, int rowAxis, int columnAxis) =>
        Enumerable.Range(0, worst.Length).All(d => d == rowAxis || d == columnAxis || index[d] == worst[d]);

    /// <summary>"[3, :, :] of the result [4, 5, 6]": the slice through <paramref name="worst"/> along
    /// <paramref name="free"/>.</summary>
    private static string Where(IReadOnlyList<int> shape, int[] worst, int[] free) =>
        shape.Count == free.Length || shape.Where((extent, d) => !free.Contains(d)).All(e => e == 1)
            ? $"[{Tensor.FormatShape(shape)}]"
            : $"[{string.Join(", ", worst.Select((i, d) => free.Contains(d) ? ":" : $"{i}"))}] "
                + $"of the result [{Tensor.FormatShape(shape)}]";

    private static int[] Strides(IReadOnlyList<int> shape)
    {
        var strides = new int[shape.Count];
        int stride = 1;
        for (int d = shape.Count - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }
        return strides;
    }

    private static int Offset(IReadOnlyList<int> shape, int[] index) =>
        Strides(shape).Select((s, d) => s * index[d]).Sum();
}
