namespace ConvParity.Conventions;

/// <summary>How the reference library computed its answer, which decides the error bound that applies.</summary>
public enum ReferenceAlgorithm
{
    /// <summary>Direct summation of products: judged per element with gamma_n.</summary>
    Direct,

    /// <summary>FFT-based: accurate only normwise, judged with a normwise bound.</summary>
    Fft,
}
