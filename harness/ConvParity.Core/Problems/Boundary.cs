namespace ConvParity.Problems;

/// <summary>A boundary extension: its kind, and the value outside for <see cref="BoundaryKind.Constant"/>.</summary>
/// <param name="Kind">The kind of extension.</param>
/// <param name="Value">The value read outside the input; used by <see cref="BoundaryKind.Constant"/> only.</param>
public readonly record struct Boundary(BoundaryKind Kind, float Value = 0f)
{
    /// <summary>Zeros outside the input.</summary>
    public static Boundary Zero => new(BoundaryKind.Zero);

    /// <summary>The constant <paramref name="value"/> outside the input (zero becomes <see cref="Zero"/>).</summary>
    public static Boundary Constant(float value) => value == 0f ? Zero : new(BoundaryKind.Constant, value);

    /// <summary>Whether positions outside the input read a constant (zero or another value) rather than an input
    /// element.</summary>
    public bool ReadsConstant => Kind is BoundaryKind.Zero or BoundaryKind.Constant;

    /// <summary>The value read outside the input when <see cref="ReadsConstant"/>.</summary>
    public float OutsideValue => Kind == BoundaryKind.Constant ? Value : 0f;

    /// <summary>
    /// Maps position <paramref name="p"/> of an axis of length <paramref name="n"/>, which may lie outside
    /// [0, n), to the input index it reads, or -1 where it reads the constant <see cref="OutsideValue"/>.
    /// Extensions repeat periodically, so any distance from the input is defined.
    /// </summary>
    public int Map(int p, int n)
    {
        if ((uint)p < (uint)n)
            return p;
        switch (Kind)
        {
            case BoundaryKind.Zero:
            case BoundaryKind.Constant:
                return -1;
            case BoundaryKind.Nearest:
                return p < 0 ? 0 : n - 1;
            case BoundaryKind.Wrap:
                return Mod(p, n);
            case BoundaryKind.Reflect:
            {
                int q = Mod(p, 2 * n);
                return q < n ? q : 2 * n - 1 - q;
            }
            case BoundaryKind.Mirror:
            {
                if (n == 1)
                    return 0;
                int q = Mod(p, 2 * n - 2);
                return q < n ? q : 2 * n - 2 - q;
            }
            default:
                throw new InvalidOperationException($"Unknown boundary kind {Kind}.");
        }
    }

    /// <inheritdoc />
    public override string ToString() => Kind == BoundaryKind.Constant ? $"Constant({Value})" : Kind.ToString();

    private static int Mod(int a, int m) => ((a % m) + m) % m;
}
