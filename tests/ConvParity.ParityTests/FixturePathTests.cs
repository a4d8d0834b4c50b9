using ConvParity.Cpu;
using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Gpu;
using ConvParity.Problems;

namespace ConvParity.Tests;

/// <summary>
/// The committed suites reach the engines' special paths, so `convparity check` and the parity tests judge each
/// of them against a real library's answer: the cpu engine's FFT path and its dense kernel past one block of 32
/// output channels, and the gpu engine's implicit GEMM under its own automatic choice.
/// </summary>
public sealed class FixturePathTests
{
    private static List<FixtureCheck> Planned(string suite)
    {
        var loaded = FixtureSuite.Load(Path.Combine(Repository.Fixtures, suite));
        return
        [
            .. loaded
                .Cases.Select(c => FixtureCheck.Prepare(loaded, c))
                .Where(c => c.Plan is not null && c.Operands is not null),
        ];
    }

    /// <summary>Some case reaches <paramref name="path"/>, and every such case passes on <paramref name="engine"/>,
    /// which takes it.</summary>
    private static void AssertReached(
        IEnumerable<FixtureCheck> cases,
        Func<FixtureCheck, bool> reaches,
        IConvEngine engine,
        string path
    )
    {
        var reaching = cases.Where(reaches).ToList();
        Assert.That(reaching, Is.Not.Empty, $"no committed case reaches {path}");
        foreach (var c in reaching)
            Assert.That(c.Run(engine).Outcome, Is.EqualTo(CaseOutcome.Passed), $"{c.Case.Id} on {path}");
        TestContext.Out.WriteLine($"{path}: {string.Join(", ", reaching.Select(c => c.Case.Id))}");
    }

    [Test]
    public void The_scipy_suite_reaches_the_cpu_engines_FFT_path()
    {
        var engine = new CpuEngine();
        AssertReached(
            Planned("scipy"),
            c => c.Plan!.Operation == ConvOperation.Forward && engine.ForwardFftTile(c.Plan.Problem) is not null,
            engine,
            "the cpu engine's FFT path"
        );
    }

    [Test]
    public void The_theano_suite_reaches_the_dense_kernel_past_one_channel_block() =>
        AssertReached(
            Planned("theano"),
            c => c.Plan!.Problem.OutChannelsPerGroup > 32 && !c.Plan.Problem.Unshared,
            new CpuEngine(),
            "more than 32 output channels per group"
        );

    [Test]
    public void The_theano_suite_reaches_the_implicit_gemm_kernel_under_the_automatic_choice(
        [ValueSource(typeof(PresentAccelerators), nameof(PresentAccelerators.Kinds))] AcceleratorKind accelerator
    )
    {
        var engine = new GpuEngine(GpuDevice.Shared(accelerator));
        AssertReached(
            Planned("theano"),
            c =>
                engine.KernelFor(c.Plan!.Problem, c.Plan.Operation, c.Operands!.Value.Second) == GpuKernel.ImplicitGemm,
            engine,
            "the gpu engine's implicit GEMM"
        );
    }
}
