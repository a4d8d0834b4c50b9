namespace ConvParity.Gpu;

/// <summary>The accelerator asked for is not present on this machine; the message names it and those that
/// are.</summary>
/// <param name="message">The accelerator asked for and those that are present.</param>
public sealed class AcceleratorUnavailableException(string message) : InvalidOperationException(message);
