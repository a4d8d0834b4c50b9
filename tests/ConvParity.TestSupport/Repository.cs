using ConvParity.Engines;

namespace ConvParity.Tests;

/// <summary>Paths in the repository and the engines every parity test covers.</summary>
public static class Repository
{
    /// <summary>The folder holding ConvParity.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>fixtures/ at the root.</summary>
    public static string Fixtures => Path.Combine(Root, "fixtures");

    /// <summary>Every suite folder under fixtures/.</summary>
    public static IEnumerable<string> SuiteFolders =>
        Directory
            .EnumerateDirectories(Fixtures)
            .Where(d => File.Exists(Path.Combine(d, "manifest.json")))
            .Order(StringComparer.Ordinal);

    /// <summary>The PyTorch calls of docs/fixtures.md (added to version 1 later).</summary>
    public static readonly string[] TorchCalls =
    [
        .. new[] { 1, 2, 3 }.SelectMany(r =>
            new[]
            {
                $"torch.nn.functional.conv{r}d",
                $"torch.nn.functional.conv_transpose{r}d",
                $"torch.nn.grad.conv{r}d_input",
                $"torch.nn.grad.conv{r}d_weight",
                $"torch.nn.Conv{r}d",
            }
        ),
    ];

    /// <summary>The calls of version 1 in docs/fixtures.md.</summary>
    public static readonly string[] V1Calls =
    [
        "numpy.convolve",
        "numpy.correlate",
        "scipy.signal.convolve",
        "scipy.signal.correlate",
        "scipy.signal.fftconvolve",
        "scipy.signal.oaconvolve",
        "scipy.signal.convolve2d",
        "scipy.signal.correlate2d",
        "scipy.ndimage.convolve",
        "scipy.ndimage.correlate",
        "scipy.ndimage.convolve1d",
        "scipy.ndimage.correlate1d",
        "theano.tensor.nnet.conv2d",
        "theano.tensor.nnet.conv3d",
        "theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_inputs",
        "theano.tensor.nnet.abstract_conv.conv2d_grad_wrt_weights",
        "theano.tensor.nnet.conv.conv2d",
        "theano.tensor.signal.conv.conv2d",
        "theano.sandbox.cuda.dnn.dnn_conv",
        "theano.gpuarray.dnn.dnn_conv",
    ];

    /// <summary>Every engine, as the command line offers them.</summary>
    public static EngineCatalog Engines => Cli.CommandLine.Engines();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ConvParity.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"ConvParity.sln not found above {AppContext.BaseDirectory}");
    }
}
