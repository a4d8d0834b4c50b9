namespace ConvParity.Explaining;

/// <summary>How the kernel array holds its axes (K output channels, C input channels per group).</summary>
public enum KernelLayout
{
    /// <summary>As the plan of a library call says.</summary>
    AsPlanned,

    /// <summary>Plain array, every axis spatial.</summary>
    Plain,

    /// <summary>(K, C, k...): Theano, PyTorch conv weights ("OIHW").</summary>
    OutIn,

    /// <summary>(C, K, k...): input and output channels swapped ("IOHW", PyTorch transposed-conv weights).</summary>
    InOut,

    /// <summary>(k..., C, K): TensorFlow ("HWIO").</summary>
    SpatialInOut,

    /// <summary>(K, k..., C): ("OHWI").</summary>
    OutSpatialIn,
}
