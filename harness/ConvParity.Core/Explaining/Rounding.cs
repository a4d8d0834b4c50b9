namespace ConvParity.Explaining;

/// <summary>Rounding float32 values to the reduced precisions, round to nearest even.</summary>
public static class Rounding
{
    /// <summary>Rounds <paramref name="value"/> to <paramref name="precision"/>, kept as a float32.</summary>
    public static float Apply(OperandRounding precision, float value) =>
        precision switch
        {
            OperandRounding.None => value,
            OperandRounding.Tf32 => DropBits(value, 13),
            OperandRounding.BFloat16 => DropBits(value, 16),
            OperandRounding.Float16 or OperandRounding.Float16OrTf32 => (float)(Half)value,
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
        };

    /// <summary>The name a person knows the precision by.</summary>
    public static string Describe(OperandRounding precision) =>
        precision switch
        {
            OperandRounding.None => "float32",
            OperandRounding.Tf32 => "TF32 (11-bit significand)",
            OperandRounding.BFloat16 => "bfloat16 (8-bit significand)",
            OperandRounding.Float16 => "float16 (11-bit significand, max 65504)",
            OperandRounding.Float16OrTf32 => "float16 or TF32 (11-bit significand; the two round these operands alike)",
            _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, null),
        };

    /// <summary>Clears the low <paramref name="bits"/> of the significand, rounding to nearest even (carries into the
    /// exponent as they should).</summary>
    private static float DropBits(float value, int bits)
    {
        if (!float.IsFinite(value))
            return value;
        int raw = BitConverter.SingleToInt32Bits(value);
        int half = (1 << (bits - 1)) - 1;
        raw += half + ((raw >> bits) & 1);
        return BitConverter.Int32BitsToSingle(raw & ~((1 << bits) - 1));
    }
}
