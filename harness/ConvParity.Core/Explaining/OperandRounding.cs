namespace ConvParity.Explaining;

/// <summary>A reduced precision the operands may have been rounded to before a float32 computation.</summary>
public enum OperandRounding
{
    /// <summary>float32 operands as given.</summary>
    None,

    /// <summary>TF32 (tensor cores): 11-bit significand, float32 range.</summary>
    Tf32,

    /// <summary>bfloat16: 8-bit significand, float32 range.</summary>
    BFloat16,

    /// <summary>IEEE float16: 11-bit significand, range up to 65504.</summary>
    Float16,

    /// <summary>float16 or TF32: the operands are within float16's normal range, where the two round alike (the
    /// values are float16's).</summary>
    Float16OrTf32,
}
