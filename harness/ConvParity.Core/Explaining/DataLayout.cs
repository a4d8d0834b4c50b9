namespace ConvParity.Explaining;

/// <summary>How the data arrays hold their axes.</summary>
public enum DataLayout
{
    /// <summary>As the plan of a library call says (a reshape of the canonical layout).</summary>
    AsPlanned,

    /// <summary>Plain arrays, every axis spatial (numpy, scipy): no channels; leading axes the kernel does not extend
    /// are a batch.</summary>
    Plain,

    /// <summary>(N, C, spatial...): Theano, PyTorch, cuDNN's NCHW.</summary>
    ChannelsFirst,

    /// <summary>(N, spatial..., C): TensorFlow's NHWC.</summary>
    ChannelsLast,
}
