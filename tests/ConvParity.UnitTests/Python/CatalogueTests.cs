using System.Text.Json.Nodes;
using ConvParity.Python.Generation;

namespace ConvParity.Tests.Live;

/// <summary>The catalogue covers every call and keyword value of docs/fixtures.md version 1, and a seed fixes it
/// completely.</summary>
public sealed class CatalogueTests
{
    private static IEnumerable<(string Call, string Key, string Value)> KeywordValues(string suite) =>
        Catalogue
            .For(suite, Catalogue.DefaultSeed)
            .SelectMany(c => c.Call.Kwargs.Select(p => (c.Call.Call, p.Key, p.Value?.ToJsonString() ?? "null")));

    private static bool Covers(string suite, string call, string key, string json) =>
        KeywordValues(suite).Contains((call, key, json));

    [Test]
    public void Every_call_of_the_v1_table_is_covered()
    {
        var generated = Catalogue.Suites.SelectMany(s => Catalogue.For(s, 1)).Select(c => c.Call.Call).ToHashSet();
        Assert.That(generated, Is.EquivalentTo(Repository.V1Calls.Concat(Repository.TorchCalls)));
    }

    [Test]
    public void Every_torch_keyword_form_is_covered()
    {
        foreach (string mode in new[] { "zeros", "reflect", "replicate", "circular" })
        foreach (int rank in new[] { 1, 2, 3 })
            Assert.That(Covers("torch", $"torch.nn.Conv{rank}d", "padding_mode", $"\"{mode}\""), $"{rank} {mode}");
        foreach (string padding in new[] { "\"same\"", "\"valid\"", "1", "[1,0]" })
            Assert.That(Covers("torch", "torch.nn.functional.conv2d", "padding", padding), padding);
        Assert.That(Covers("torch", "torch.nn.functional.conv_transpose2d", "output_padding", "[1,2]"));
        Assert.That(Covers("torch", "torch.nn.functional.conv2d", "groups", "4"), "depthwise");
        var cases = Catalogue.For("torch", Catalogue.DefaultSeed);
        Assert.That(cases.Count(c => c.Call.Args.Count == 3), Is.GreaterThan(50), "with a bias");
        Assert.That(cases.Count(c => c.Call.Args.Count == 2), Is.GreaterThan(50), "without");
    }

    [Test]
    public void Every_keyword_value_of_numpy_and_scipy_is_covered()
    {
        foreach (string call in new[] { "numpy.convolve", "numpy.correlate" })
        foreach (string mode in new[] { "full", "same", "valid" })
            Assert.That(Covers("numpy", call, "mode", $"\"{mode}\""), call + " " + mode);
        foreach (string call in new[] { "convolve", "correlate" })
        foreach (string method in new[] { "direct", "fft" })
            Assert.That(Covers("scipy", "scipy.signal." + call, "method", $"\"{method}\""), call + " " + method);
        foreach (string call in new[] { "convolve2d", "correlate2d" })
        foreach (string boundary in new[] { "fill", "wrap", "symm" })
            Assert.That(Covers("scipy", "scipy.signal." + call, "boundary", $"\"{boundary}\""), call + " " + boundary);
        Assert.That(
            Covers("scipy", "scipy.signal.fftconvolve", "axes", "null")
                && Covers("scipy", "scipy.signal.oaconvolve", "axes", "[0,2]")
        );
        foreach (string call in new[] { "convolve", "correlate", "convolve1d", "correlate1d" })
        foreach (
            string mode in new[]
            {
                "reflect",
                "constant",
                "nearest",
                "mirror",
                "wrap",
                "grid-mirror",
                "grid-constant",
                "grid-wrap",
            }
        )
            Assert.That(Covers("scipy", "scipy.ndimage." + call, "mode", $"\"{mode}\""), call + " " + mode);
        // Every origin in range of a 4-tap kernel, for both directions.
        foreach (
            string call in new[] { "scipy.ndimage.convolve1d", "scipy.ndimage.correlate", "scipy.ndimage.correlate1d" }
        )
        foreach (int origin in new[] { -2, -1, 0, 1 })
            Assert.That(Covers("scipy", call, "origin", origin.ToString()), call + " origin " + origin);
    }

    [Test]
    public void Every_border_mode_form_of_theano_is_covered()
    {
        foreach (string border in new[] { "\"valid\"", "\"full\"", "\"half\"", "1", "[1,2]", "[[0,2],[1,0]]" })
            Assert.That(Covers("theano", "theano.tensor.nnet.conv2d", "border_mode", border), border);
        Assert.That(Covers("theano", "theano.tensor.nnet.conv3d", "border_mode", "[[0,1],[1,0],[2,1]]"));
        Assert.That(Covers("theano", "theano.tensor.nnet.conv2d", "unshared", "true"));
        Assert.That(Covers("theano", "theano.tensor.nnet.conv2d", "num_groups", "3"));
        Assert.That(Covers("theano", "theano.tensor.nnet.conv2d", "filter_dilation", "[2,2]"));
        Assert.That(Covers("theano", "theano.gpuarray.dnn.dnn_conv", "conv_mode", "\"cross\""));
    }

    [Test]
    public void A_seed_fixes_ids_shapes_kwargs_and_values()
    {
        foreach (string suite in Catalogue.Suites)
        {
            var first = Catalogue.For(suite, 7);
            var second = Catalogue.For(suite, 7);
            Assert.That(first.Select(c => c.Id), Is.EqualTo(second.Select(c => c.Id)).And.Unique);
            for (int i = 0; i < first.Count; i++)
            {
                Assert.That(JsonNode.DeepEquals(first[i].Call.Kwargs, second[i].Call.Kwargs), first[i].Id);
                Assert.That(
                    first[i].Call.Args.Select(a => a.Span.ToArray()),
                    Is.EqualTo(second[i].Call.Args.Select(a => a.Span.ToArray())),
                    first[i].Id
                );
            }
        }
        var draw = Catalogue.Draw("scipy.ndimage.correlate", 5);
        Assert.That(Catalogue.Draw("scipy.ndimage.correlate", 5).ToString(), Is.EqualTo(draw.ToString()));
        Assert.That(
            Catalogue.Draw("scipy.ndimage.correlate", 5).Args[0].Span.ToArray(),
            Is.EqualTo(draw.Args[0].Span.ToArray())
        );
    }

    [Test]
    public void Another_seed_draws_other_values()
    {
        var one = Catalogue.For("numpy", 1);
        var two = Catalogue.For("numpy", 2);
        Assert.That(one[0].Call.Args[0].Span.ToArray(), Is.Not.EqualTo(two[0].Call.Args[0].Span.ToArray()));
    }
}
