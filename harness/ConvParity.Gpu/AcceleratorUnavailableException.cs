namespace ConvParity.Gpu;

/// <summary>The accelerator asked for is not present on this machine; the message names it and those that
/// are.</summary>
public sealed class AcceleratorUnavailableException(string message) : InvalidOperationException(message);
