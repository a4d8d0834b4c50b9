using ConvParity.Testing;

namespace MyConvolution.Tests;

/// <summary>
/// Our engine on our own model's convolutions (cases.json), answered once by the real numpy and scipy and
/// committed in fixtures/my-model: replayed without Python. A case added to cases.json is recorded on the first
/// run where Python is (then commit the folder); on CI (or with CONVPARITY_RECORD=never) it fails until it is.
/// </summary>
public sealed class MyModelTests
{
    private readonly NaiveEngine _engine = new();

    [TestCaseSource(
        typeof(ParityCases),
        nameof(ParityCases.Recorded),
        new object[] { "fixtures/my-model", "cases.json" }
    )]
    public void Matches_the_recorded_answers_for_my_layers(ParityCase c) => ParityAssert.Matches(_engine, c);
}
