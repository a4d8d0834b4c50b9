using System.Globalization;
using System.Net;
using System.Text;

namespace ConvParity.Reporting;

/// <summary>
/// The report's figures as SVG text, drawn here rather than by a plotting library: axes, decade ticks, a legend and
/// the data, in the page's sans-serif font. Heatmaps carry their cells as a PNG data: URI inside the SVG, one pixel
/// per element, so a figure is one self-contained image (<see cref="DataUri"/>) and the page needs no file beside it.
/// </summary>
internal static class SvgFigure
{
    /// <summary>Colours given to the engines in the order they ran.</summary>
    public static readonly string[] Palette =
    [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#17becf",
        "#7f7f7f",
    ];

    /// <summary>The colour of a failing value, the worst element's marker and the bound line.</summary>
    public const string Red = "#d62728";

    private const string Font = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\"";

    /// <summary>A figure as a data: URI for an &lt;img&gt; element.</summary>
    public static string DataUri(string svg) =>
        "data:image/svg+xml;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));

    /// <summary>
    /// The empirical distribution of error / bound over the cases of one suite, one step line per engine, on a log
    /// axis with the bound at 1. Exact cases (ratio 0) start the line at the left edge; cases beyond the axis
    /// (NaN/Inf mismatches) never reach the top. <paramref name="series"/>: per engine its name, colour and the
    /// worst ratio of each judged case.
    /// </summary>
    public static string Ecdf(string title, IReadOnlyList<(string Name, string Color, double[] Ratios)> series)
    {
        const int width = 660,
            height = 280,
            left = 62,
            right = 210,
            top = 30,
            bottom = 44;
        var finite = series.SelectMany(s => s.Ratios).Where(r => r > 0 && double.IsFinite(r)).ToList();
        double low = finite.Count == 0 ? -4 : Math.Clamp(Math.Floor(Math.Log10(finite.Min())), -12, -1);
        double high = finite.Count == 0 ? 1 : Math.Max(1, Math.Ceiling(Math.Log10(finite.Max())));
        var plot = new Frame(left, top, width - left - right, height - top - bottom, low, high, 0, 1);
        var svg = Begin(width, height, title);
        plot.DecadeAxis(svg, "error / bound (the worst element of each case)");
        plot.LinearAxisY(svg, "fraction of cases", [0, 0.25, 0.5, 0.75, 1], v => v.ToString("0.##", Inv));
        plot.BoundLineX(svg, 0);
        for (int k = 0; k < series.Count; k++)
        {
            var (name, color, ratios) = series[k];
            var sorted = ratios.Order().ToArray();
            int n = sorted.Length,
                exact = sorted.Count(r => r == 0),
                beyond = sorted.Count(r => !double.IsFinite(r));
            var path = new StringBuilder();
            double y = n == 0 ? 0 : (double)exact / n;
            path.Append(Inv, $"M{plot.X(low):F1},{plot.Y(y):F1}");
            for (int i = exact; i < n && double.IsFinite(sorted[i]); i++)
            {
                double x = plot.X(Math.Clamp(Math.Log10(sorted[i]), low, high));
                path.Append(Inv, $" H{x:F1} V{plot.Y((i + 1.0) / n):F1}");
            }
            path.Append(Inv, $" H{plot.X(high):F1}");
            svg.Append(Inv, $"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>");
            string median = n == 0 ? "-" : Format(sorted[(n - 1) / 2]);
            string note = string.Join(
                ", ",
                new[] { exact > 0 ? $"{exact} exact" : "", beyond > 0 ? $"{beyond} NaN/Inf" : "" }.Where(t => t != "")
            );
            double ly = top + 14 + 50 * k;
            svg.Append(
                Inv,
                $"<line x1=\"{width - right + 14}\" y1=\"{ly}\" x2=\"{width - right + 34}\" y2=\"{ly}\" "
                    + $"stroke=\"{color}\" stroke-width=\"3\"/>"
            );
            Text(svg, width - right + 40, ly + 4, name, 12, "start", bold: true);
            Text(svg, width - right + 40, ly + 18, $"{n} cases, median {median}", 10, "start");
            if (note.Length > 0)
                Text(svg, width - right + 40, ly + 31, note, 10, "start");
        }
        return End(svg);
    }

    /// <summary>
    /// A 1-D result: above, the expected values and every engine's answer; below, log10(error / bound) per engine
    /// with the bound at 0. The worst element (<paramref name="worst"/>, a position in the arrays) is circled in red.
    /// <paramref name="first"/> is the index of the arrays' first element in the result (when they are a window).
    /// </summary>
    public static string Lines(
        string title,
        string axis,
        int first,
        double[] expected,
        IReadOnlyList<(string Name, string Color, double[] Values, double[] Ratios)> engines,
        int worst
    )
    {
        const int width = 760,
            left = 70,
            right = 150,
            top = 30,
            upper = 190,
            gap = 46,
            lower = 130,
            bottom = 40;
        int height = top + upper + gap + lower + bottom;
        int n = expected.Length;
        var all = expected.Concat(engines.SelectMany(e => e.Values)).Where(double.IsFinite).ToList();
        double min = all.Count == 0 ? 0 : all.Min(),
            max = all.Count == 0 ? 1 : all.Max();
        if (!(max - min > 1e-9 * Math.Max(Math.Abs(min), Math.Abs(max))) || max - min < 1e-30)
        {
            double pad = Math.Max(1, Math.Abs(max) / 10);
            (min, max) = (min - pad, max + pad);
        }
        var logs = engines.SelectMany(e => e.Ratios).Where(r => r > 0 && double.IsFinite(r)).Select(Math.Log10);
        double logHigh = Math.Max(1, Math.Ceiling(logs.DefaultIfEmpty(0).Max()));
        double x0 = first - 0.5,
            x1 = first + n - 0.5;
        var values = new Frame(left, top, width - left - right, upper, x0, x1, min, max);
        var errors = new Frame(left, top + upper + gap, width - left - right, lower, x0, x1, -4, logHigh);
        var svg = Begin(width, height, title);
        values.IndexAxis(svg, "");
        values.LinearAxisY(svg, "value", Ticks(min, max), Format);
        errors.IndexAxis(svg, axis);
        errors.LinearAxisY(
            svg,
            "error / bound",
            Enumerable.Range(-4, (int)logHigh + 5).Where(d => d % 2 == 0 || logHigh <= 2).Select(d => (double)d),
            d => Decade(d)
        );
        errors.BoundLineY(svg, 0);
        svg.Append(Polyline(values, first, expected, "#000000", 2.2, dash: null));
        Legend(svg, width - right + 12, top + 10, "expected", "#000000", dashed: false);
        for (int k = 0; k < engines.Count; k++)
        {
            var (name, color, answer, ratios) = engines[k];
            svg.Append(Polyline(values, first, answer, color, 1.4, dash: "5,3"));
            var clamped = ratios.Select(r => r > 0 ? Math.Clamp(Math.Log10(r), -4, logHigh) : -4).ToArray();
            svg.Append(Polyline(errors, first, clamped, color, 1.4, dash: null));
            Legend(svg, width - right + 12, top + 30 + 20 * k, name, color, dashed: true);
        }
        if (worst >= 0 && worst < n)
        {
            double wx = values.X(first + worst);
            if (double.IsFinite(expected[worst]))
                Circle(svg, wx, values.Y(Math.Clamp(expected[worst], min, max)));
            double worstLog = engines
                .Select(e => e.Ratios[worst])
                .Select(r => r > 0 ? Math.Clamp(Math.Log10(r), -4, logHigh) : -4)
                .DefaultIfEmpty(-4)
                .Max();
            Circle(svg, wx, errors.Y(worstLog));
            Text(svg, wx, top + upper + gap - 6, $"worst [{first + worst}]", 11, "middle", color: Red);
        }
        return End(svg);
    }

    /// <summary>
    /// A 2-D slice as a heatmap with a colour bar: <paramref name="values"/> in rows and columns, NaN drawn grey and
    /// infinities drawn red (a NaN/Inf mismatch in an error map). The cell at <paramref name="worst"/> gets a red
    /// frame.
    /// <paramref name="origin"/>: the result index of the slice's top-left cell, for the tick labels.
    /// </summary>
    public static string Heatmap(
        string title,
        string scale,
        double[,] values,
        double low,
        double high,
        Func<double, string> tick,
        (int Row, int Column) origin,
        (int Row, int Column)? worst,
        (string Rows, string Columns) axes
    )
    {
        int rows = values.GetLength(0),
            columns = values.GetLength(1);
        double cell = Math.Clamp(Math.Floor(360.0 / Math.Max(rows, columns)), 1, 28);
        if (cell * columns < 120)
            cell = Math.Min(28, Math.Ceiling(120.0 / columns));
        double w = cell * columns,
            h = cell * rows;
        const int left = 64,
            top = 30,
            bar = 14;
        int width = (int)(left + w + 30 + bar + 70),
            height = (int)(top + h + 48);
        var rgb = new byte[3 * rows * columns];
        for (int r = 0; r < rows; r++)
        for (int c = 0; c < columns; c++)
        {
            double v = values[r, c];
            var (red, green, blue) =
                double.IsNaN(v) ? ((byte)190, (byte)190, (byte)190)
                : double.IsInfinity(v) ? ((byte)214, (byte)39, (byte)40)
                : Viridis(high > low ? (v - low) / (high - low) : 0.5);
            int at = 3 * (r * columns + c);
            (rgb[at], rgb[at + 1], rgb[at + 2]) = (red, green, blue);
        }
        string png = Convert.ToBase64String(PngImage.Encode(columns, rows, rgb));
        var svg = Begin(width, height, title);
        svg.Append(
            Inv,
            $"<image x=\"{left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" preserveAspectRatio=\"none\" "
                + $"style=\"image-rendering:pixelated\" href=\"data:image/png;base64,{png}\"/>"
        );
        svg.Append(Inv, $"<rect x=\"{left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#444\"/>");
        foreach (int c in IndexTicks(columns))
            Text(svg, left + (c + 0.5) * cell, top + h + 14, (origin.Column + c).ToString(Inv), 10, "middle");
        foreach (int r in IndexTicks(rows))
            Text(svg, left - 5, top + (r + 0.5) * cell + 4, (origin.Row + r).ToString(Inv), 10, "end");
        Text(svg, left + w / 2, top + h + 32, axes.Columns, 11, "middle");
        svg.Append(
            Inv,
            $"<text x=\"14\" y=\"{top + h / 2:F1}\" font-size=\"11\" text-anchor=\"middle\" "
                + $"transform=\"rotate(-90 14 {top + h / 2:F1})\">{E(axes.Rows)}</text>"
        );
        if (worst is { } at0)
        {
            double pad = Math.Max(1.5, cell * 0.15);
            svg.Append(
                Inv,
                $"<rect x=\"{left + at0.Column * cell - pad:F1}\" y=\"{top + at0.Row * cell - pad:F1}\" "
                    + $"width=\"{cell + 2 * pad:F1}\" height=\"{cell + 2 * pad:F1}\" fill=\"none\" stroke=\"{Red}\" "
                    + $"stroke-width=\"2.5\"/>"
            );
        }
        double bx = left + w + 30;
        const int steps = 64;
        for (int s = 0; s < steps; s++)
        {
            var (red, green, blue) = Viridis(1 - (s + 0.5) / steps);
            svg.Append(
                Inv,
                $"<rect x=\"{bx}\" y=\"{top + s * h / steps:F2}\" width=\"{bar}\" height=\"{h / steps + 0.5:F2}\" "
                    + $"fill=\"rgb({red},{green},{blue})\"/>"
            );
        }
        Text(svg, bx + bar / 2.0, top - 8, scale, 10, "middle");
        var barTicks = high > low ? Ticks(low, high) : [low];
        foreach (double t in barTicks)
        {
            double y = high > low ? top + (high - t) / (high - low) * h : top + h / 2;
            svg.Append(
                Inv,
                $"<line x1=\"{bx + bar}\" y1=\"{y:F1}\" x2=\"{bx + bar + 4}\" y2=\"{y:F1}\" stroke=\"#444\"/>"
            );
            Text(svg, bx + bar + 6, y + 4, tick(t), 10, "start");
        }
        return End(svg);
    }

    /// <summary>10^d as text: 1, 10, 0.01, 1e-4.</summary>
    public static string Decade(double d) =>
        d switch
        {
            0 => "1",
            1 => "10",
            -1 => "0.1",
            -2 => "0.01",
            _ => "1e" + d.ToString(Inv),
        };

    /// <summary>A value in three significant digits.</summary>
    public static string Format(double value) => value.ToString("G3", Inv);

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static StringBuilder Begin(int width, int height, string title)
    {
        var svg = new StringBuilder();
        svg.Append(
            Inv,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" "
                + $"viewBox=\"0 0 {width} {height}\" {Font} fill=\"#222\">"
        );
        svg.Append(Inv, $"<rect width=\"{width}\" height=\"{height}\" fill=\"#fff\"/>");
        Text(svg, width / 2.0, 18, title, 13, "middle", bold: true);
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void Text(
        StringBuilder svg,
        double x,
        double y,
        string text,
        int size,
        string anchor,
        bool bold = false,
        string? color = null
    ) =>
        svg.Append(
            Inv,
            $"<text x=\"{x:F1}\" y=\"{y:F1}\" font-size=\"{size}\" text-anchor=\"{anchor}\""
                + $"{(bold ? " font-weight=\"600\"" : "")}"
                + $"{(color is null ? "" : $" fill=\"{color}\"")}>{E(text)}</text>"
        );

    private static void Circle(StringBuilder svg, double x, double y) =>
        svg.Append(
            Inv,
            $"<circle cx=\"{x:F1}\" cy=\"{y:F1}\" r=\"6\" fill=\"none\" stroke=\"{Red}\" stroke-width=\"2\"/>"
        );

    private static void Legend(StringBuilder svg, double x, double y, string name, string color, bool dashed)
    {
        svg.Append(
            Inv,
            $"<line x1=\"{x}\" y1=\"{y}\" x2=\"{x + 22}\" y2=\"{y}\" stroke=\"{color}\" stroke-width=\"2\""
                + $"{(dashed ? " stroke-dasharray=\"5,3\"" : "")}/>"
        );
        Text(svg, x + 28, y + 4, name, 11, "start");
    }

    /// <summary>A line through the finite values, broken where a value is NaN or infinite.</summary>
    private static string Polyline(Frame frame, int first, double[] values, string color, double stroke, string? dash)
    {
        var path = new StringBuilder();
        bool open = false;
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                open = false;
                continue;
            }
            path.Append(Inv, $"{(open ? " L" : " M")}{frame.X(first + i):F1},{frame.Y(values[i]):F1}");
            open = true;
        }
        if (values.Length == 1 && double.IsFinite(values[0]))
            path.Append(Inv, $" h0.1");
        return string.Create(
            Inv,
            $"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{stroke}\" "
                + $"stroke-linejoin=\"round\" stroke-linecap=\"round\""
                + $"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>"
        );
    }

    /// <summary>About five round tick values from <paramref name="low"/> to <paramref name="high"/>.</summary>
    private static double[] Ticks(double low, double high)
    {
        if (!(high > low) || !double.IsFinite(high - low))
            return [low];
        double step = Math.Pow(10, Math.Floor(Math.Log10((high - low) / 4)));
        if ((high - low) / step > 10)
            step *= 2.5;
        if ((high - low) / step > 10)
            step *= 2;
        double start = Math.Ceiling(low / step) * step;
        return
        [
            .. Enumerable.Range(0, (int)Math.Floor((high - start) / step + 1e-9) + 1).Select(i => start + i * step),
        ];
    }

    /// <summary>At most about eight integer positions from 0 to <paramref name="count"/> - 1, the last
    /// included.</summary>
    private static IEnumerable<int> IndexTicks(int count)
    {
        int step = Math.Max(1, (int)Math.Ceiling(count / 8.0));
        for (int i = 0; i < count; i += step)
            yield return i;
        if ((count - 1) % step != 0)
            yield return count - 1;
    }

    /// <summary>Nine stops of the viridis colour map, RGB.</summary>
    private static readonly byte[] ViridisStops =
    [
        68,
        1,
        84,
        71,
        44,
        122,
        59,
        81,
        139,
        44,
        113,
        142,
        33,
        144,
        141,
        39,
        173,
        129,
        92,
        200,
        99,
        170,
        220,
        50,
        253,
        231,
        37,
    ];

    /// <summary>The viridis colour map at <paramref name="t"/> in [0, 1], interpolated between nine stops.</summary>
    private static (byte, byte, byte) Viridis(double t)
    {
        byte[] stops = ViridisStops;
        double x = Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1) * 8;
        int i = Math.Min(7, (int)x);
        double f = x - i;
        byte Mix(int channel) =>
            (byte)Math.Round(stops[3 * i + channel] + f * (stops[3 * i + 3 + channel] - stops[3 * i + channel]));
        return (Mix(0), Mix(1), Mix(2));
    }

    /// <summary>A plotting area: data coordinates to SVG pixels, and its axes.</summary>
    private sealed record Frame(
        double Left,
        double Top,
        double Width,
        double Height,
        double X0,
        double X1,
        double Y0,
        double Y1
    )
    {
        public double X(double x) => Left + (x - X0) / (X1 - X0) * Width;

        public double Y(double y) => Top + Height - (y - Y0) / (Y1 - Y0) * Height;

        public void DecadeAxis(StringBuilder svg, string label)
        {
            Box(svg);
            double step = Math.Max(1, Math.Ceiling((X1 - X0) / 10));
            for (double d = Math.Ceiling(X0 / step) * step; d <= X1; d += step)
            {
                Grid(svg, X(d), Top, X(d), Top + Height);
                Text(svg, X(d), Top + Height + 15, Decade(d), 10, "middle");
            }
            Text(svg, Left + Width / 2, Top + Height + 33, label, 11, "middle");
        }

        public void IndexAxis(StringBuilder svg, string label)
        {
            Box(svg);
            int first = (int)Math.Ceiling(X0),
                count = (int)Math.Floor(X1) - first + 1;
            foreach (int i in IndexTicks(count))
                Text(svg, X(first + i), Top + Height + 14, (first + i).ToString(Inv), 10, "middle");
            if (label.Length > 0)
                Text(svg, Left + Width / 2, Top + Height + 31, label, 11, "middle");
        }

        public void LinearAxisY(StringBuilder svg, string label, IEnumerable<double> ticks, Func<double, string> text)
        {
            foreach (double t in ticks)
            {
                Grid(svg, Left, Y(t), Left + Width, Y(t));
                Text(svg, Left - 5, Y(t) + 4, text(t), 10, "end");
            }
            double cy = Top + Height / 2;
            svg.Append(
                Inv,
                $"<text x=\"{Left - 44:F1}\" y=\"{cy:F1}\" font-size=\"11\" text-anchor=\"middle\" "
                    + $"transform=\"rotate(-90 {Left - 44:F1} {cy:F1})\">{E(label)}</text>"
            );
        }

        public void BoundLineX(StringBuilder svg, double x)
        {
            svg.Append(
                Inv,
                $"<line x1=\"{X(x):F1}\" y1=\"{Top}\" x2=\"{X(x):F1}\" y2=\"{Top + Height}\" stroke=\"{Red}\" "
                    + $"stroke-dasharray=\"4,3\"/>"
            );
            Text(svg, X(x) + 4, Top + 12, "bound", 10, "start", color: Red);
        }

        public void BoundLineY(StringBuilder svg, double y)
        {
            svg.Append(
                Inv,
                $"<line x1=\"{Left}\" y1=\"{Y(y):F1}\" x2=\"{Left + Width}\" y2=\"{Y(y):F1}\" stroke=\"{Red}\" "
                    + $"stroke-dasharray=\"4,3\"/>"
            );
            Text(svg, Left + Width - 4, Y(y) - 4, "bound", 10, "end", color: Red);
        }

        private void Box(StringBuilder svg) =>
            svg.Append(
                Inv,
                $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width}\" height=\"{Height}\" fill=\"none\" stroke=\"#444\"/>"
            );

        private static void Grid(StringBuilder svg, double x1, double y1, double x2, double y2) =>
            svg.Append(Inv, $"<line x1=\"{x1:F1}\" y1=\"{y1:F1}\" x2=\"{x2:F1}\" y2=\"{y2:F1}\" stroke=\"#e4e4e4\"/>");
    }
}
