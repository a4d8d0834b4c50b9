using System.Text.Json.Nodes;
using ConvParity.Explaining;
using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>
/// <c>explain</c> on the corpus of tests/ConvParity.Tests/ExplainCorpus: (x, w, y) triples whose y numpy, scipy and
/// torch computed (scripts/explain-corpus.py), one per convention the search must name: dilation, groups, depthwise
/// and channel multipliers, transposed kernel axes of plain arrays, operands rounded to bfloat16 / float16 / TF32,
/// transposed convolution with output_padding, besides the plain ones.
/// </summary>
public sealed class ExplainCorpusTests
{
    private static string Folder => Path.Combine(Repository.Root, "tests", "ConvParity.ParityTests", "ExplainCorpus");

    /// <summary>Every case of corpus.json: its id, the call that made y, and the phrases the best match must
    /// say.</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "corpus.json")))!;
        foreach (var entry in index["cases"]!.AsArray())
        {
            string id = entry!["id"]!.GetValue<string>();
            string[][] expect =
            [
                .. entry["expect"]!.AsArray().Select(a => a!.AsArray().Select(e => e!.GetValue<string>()).ToArray()),
            ];
            yield return new TestCaseData(id, entry["call"]!.GetValue<string>(), expect).SetName($"Corpus {id}");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Explain_names_the_convention_that_made_y(string id, string call, string[][] expect)
    {
        var arrays = NpzFile.Read(Path.Combine(Folder, id + ".npz"), ["x", "w", "y"]);
        var explanation = ConventionSearch.Explain(arrays["x"].Tensor, arrays["w"].Tensor, arrays["y"].Tensor);

        Assert.That(explanation.Found, Is.True, $"{call}:\n{explanation}");
        string named = explanation.Best!.Hypothesis.Describe();
        Assert.That(
            expect.Any(phrases => phrases.All(named.Contains)),
            Is.True,
            $"{call}: the simplest match should say {string.Join(" or ", expect.Select(p => string.Join(", ", p)))}:\n"
                + explanation
        );
    }
}
