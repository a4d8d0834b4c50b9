using ConvParity.Engines;
using ConvParity.Fixtures;
using ConvParity.Gpu;
using ConvParity.Problems;
using ConvParity.Tensors;
using ConvParity.Testing;

namespace ConvParity.Tests;

/// <summary>
/// The GPU engine, on every accelerator ILGPU finds on this machine (its CPU simulator everywhere, CUDA and
/// OpenCL devices where present), against the reference engine, under the judge's bound, on problems that
/// reach every variant the fixtures do not: every boundary (with pads longer than the input, so extensions
/// fold several times), ranks 1 to 3, groups, depthwise, dilation, stride, unshared; each with both kernels.
/// </summary>
[TestFixtureSource(typeof(PresentAccelerators), nameof(PresentAccelerators.Kinds))]
public sealed class GpuEngineTests(AcceleratorKind accelerator)
{
    private GpuDevice Device => GpuDevice.Shared(accelerator);

    private static readonly (string Name, ConvProblem Problem)[] Problems =
    [
        (
            "1d zero stride2 flip",
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 3,
                    OutChannels = 2,
                    InputSize = [11],
                    KernelSize = [4],
                    PadBefore = [2],
                    PadAfter = [3],
                    Stride = [2],
                    Flip = true,
                }
            )
        ),
        (
            "1d constant dilation2",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 2,
                    OutChannels = 3,
                    InputSize = [9],
                    KernelSize = [3],
                    PadBefore = [3],
                    PadAfter = [1],
                    Dilation = [2],
                    Boundary = Boundary.Constant(0.75f),
                }
            )
        ),
        (
            "1d reflect pads beyond input",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 2,
                    OutChannels = 2,
                    InputSize = [4],
                    KernelSize = [5],
                    PadBefore = [9],
                    PadAfter = [7],
                    Flip = true,
                    Boundary = new Boundary(BoundaryKind.Reflect),
                }
            )
        ),
        (
            "1d mirror pads beyond input",
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 1,
                    OutChannels = 2,
                    InputSize = [3],
                    KernelSize = [4],
                    PadBefore = [6],
                    PadAfter = [5],
                    Stride = [2],
                    Boundary = new Boundary(BoundaryKind.Mirror),
                }
            )
        ),
        (
            "1d mirror of one element",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 1,
                    InputSize = [1],
                    KernelSize = [3],
                    PadBefore = [2],
                    PadAfter = [2],
                    Boundary = new Boundary(BoundaryKind.Mirror),
                }
            )
        ),
        (
            "1d nearest stride3 dilation2",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 2,
                    OutChannels = 2,
                    InputSize = [10],
                    KernelSize = [3],
                    PadBefore = [4],
                    PadAfter = [4],
                    Stride = [3],
                    Dilation = [2],
                    Boundary = new Boundary(BoundaryKind.Nearest),
                }
            )
        ),
        (
            "1d wrap pads beyond input",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 1,
                    OutChannels = 2,
                    InputSize = [5],
                    KernelSize = [4],
                    PadBefore = [8],
                    PadAfter = [6],
                    Boundary = new Boundary(BoundaryKind.Wrap),
                }
            )
        ),
        (
            "2d zero groups2 stride dilation asymmetric pads",
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 4,
                    OutChannels = 6,
                    InputSize = [9, 8],
                    KernelSize = [3, 2],
                    PadBefore = [2, 0],
                    PadAfter = [1, 3],
                    Stride = [2, 1],
                    Dilation = [1, 2],
                    Groups = 2,
                    Flip = true,
                }
            )
        ),
        (
            "2d depthwise constant",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 4,
                    OutChannels = 8,
                    InputSize = [6, 7],
                    KernelSize = [3, 3],
                    PadBefore = [1, 2],
                    PadAfter = [1, 0],
                    Groups = 4,
                    Boundary = Boundary.Constant(-0.5f),
                }
            )
        ),
        (
            "2d channel-heavy zero",
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 8,
                    OutChannels = 16,
                    InputSize = [7, 6],
                    KernelSize = [3, 3],
                    PadBefore = [1, 1],
                    PadAfter = [1, 1],
                    Flip = true,
                }
            )
        ),
        (
            "2d reflect",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 2,
                    OutChannels = 3,
                    InputSize = [5, 4],
                    KernelSize = [3, 4],
                    PadBefore = [3, 2],
                    PadAfter = [2, 5],
                    Boundary = new Boundary(BoundaryKind.Reflect),
                }
            )
        ),
        (
            "2d mirror stride2",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 2,
                    OutChannels = 2,
                    InputSize = [6, 5],
                    KernelSize = [3, 3],
                    PadBefore = [2, 2],
                    PadAfter = [2, 2],
                    Stride = [2, 2],
                    Boundary = new Boundary(BoundaryKind.Mirror),
                }
            )
        ),
        (
            "2d nearest dilation",
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 2,
                    OutChannels = 2,
                    InputSize = [5, 6],
                    KernelSize = [2, 3],
                    PadBefore = [2, 3],
                    PadAfter = [1, 2],
                    Dilation = [2, 2],
                    Flip = true,
                    Boundary = new Boundary(BoundaryKind.Nearest),
                }
            )
        ),
        (
            "2d wrap groups2",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 4,
                    OutChannels = 2,
                    InputSize = [4, 5],
                    KernelSize = [3, 3],
                    PadBefore = [4, 1],
                    PadAfter = [3, 6],
                    Groups = 2,
                    Boundary = new Boundary(BoundaryKind.Wrap),
                }
            )
        ),
        (
            "2d unshared groups2 stride2 flip",
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 4,
                    OutChannels = 2,
                    InputSize = [7, 6],
                    KernelSize = [3, 2],
                    PadBefore = [1, 1],
                    PadAfter = [1, 0],
                    Stride = [2, 2],
                    Groups = 2,
                    Flip = true,
                    Unshared = true,
                }
            )
        ),
        (
            "2d unshared constant",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 2,
                    OutChannels = 3,
                    InputSize = [5, 5],
                    KernelSize = [2, 3],
                    PadBefore = [1, 1],
                    PadAfter = [1, 1],
                    Boundary = Boundary.Constant(0.25f),
                    Unshared = true,
                }
            )
        ),
        (
            "3d zero stride dilation flip",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 2,
                    OutChannels = 3,
                    InputSize = [4, 5, 3],
                    KernelSize = [2, 3, 2],
                    PadBefore = [1, 0, 2],
                    PadAfter = [0, 1, 1],
                    Stride = [1, 2, 1],
                    Dilation = [2, 1, 1],
                    Flip = true,
                }
            )
        ),
        (
            "3d wrap groups2",
            new ConvProblem(
                new()
                {
                    Batch = 2,
                    InChannels = 2,
                    OutChannels = 4,
                    InputSize = [3, 4, 3],
                    KernelSize = [2, 2, 3],
                    PadBefore = [1, 2, 2],
                    PadAfter = [2, 1, 3],
                    Groups = 2,
                    Boundary = new Boundary(BoundaryKind.Wrap),
                }
            )
        ),
        (
            "3d unshared reflect",
            new ConvProblem(
                new()
                {
                    Batch = 1,
                    InChannels = 2,
                    OutChannels = 2,
                    InputSize = [3, 4, 3],
                    KernelSize = [2, 2, 2],
                    PadBefore = [1, 0, 1],
                    PadAfter = [0, 1, 0],
                    Boundary = new Boundary(BoundaryKind.Reflect),
                    Unshared = true,
                }
            )
        ),
    ];

    public static IEnumerable<TestCaseData> Variants()
    {
        foreach (var (name, problem) in Problems)
        foreach (var operation in Enum.GetValues<ConvOperation>())
        foreach (var policy in new[] { GpuKernelPolicy.DirectOnly, GpuKernelPolicy.PreferImplicitGemm })
            yield return new TestCaseData(problem, operation, policy).SetName($"{name} {operation} [{policy}]");
    }

    [TestCaseSource(nameof(Variants))]
    public void Matches_the_reference_engine_within_the_bound(
        ConvProblem problem,
        ConvOperation operation,
        GpuKernelPolicy policy
    )
    {
        var (first, second) = RandomProblems.Operands(problem, operation, seed: 17);
        var engine = new GpuEngine(Device, policy);

        // Not blind: the GEMM policy must really run the GEMM kernel wherever it can compute the map.
        bool gemmApplies =
            !problem.Unshared
            && (
                operation != ConvOperation.GradInput
                || (problem.Boundary.ReadsConstant && problem.Stride.All(s => s == 1))
            );
        var expectedKernel =
            policy == GpuKernelPolicy.PreferImplicitGemm && gemmApplies ? GpuKernel.ImplicitGemm : GpuKernel.Direct;
        Assert.That(engine.KernelFor(problem, operation, second), Is.EqualTo(expectedKernel));

        var verdict = ParityAssert.JudgeAgainstReference(engine, ParityProblem.Of(problem, operation, first, second));
        Assert.That(verdict.Passed, Is.True, verdict.ToString());
    }

    /// <summary>The parity tests run the auto policy, which picks GEMM for few fixture cases: here GEMM runs wherever
    /// it applies.</summary>
    [TestCaseSource(typeof(Repository), nameof(Repository.SuiteFolders))]
    public void Implicit_gemm_matches_every_fixture_case(string folder)
    {
        var suite = FixtureSuite.Load(folder);
        var engine = new GpuEngine(Device, GpuKernelPolicy.PreferImplicitGemm);
        var failures = new List<string>();
        int gemmCases = 0;
        foreach (var fixtureCase in suite.Cases)
        {
            var check = FixtureCheck.Prepare(suite, fixtureCase);
            if (
                check.Plan is { } plan
                && plan.Problem is var p
                && !p.Unshared
                && (
                    plan.Operation != ConvOperation.GradInput || (p.Boundary.ReadsConstant && p.Stride.All(s => s == 1))
                )
            )
                gemmCases++;
            var result = check.Run(engine);
            if (result.Outcome != CaseOutcome.Passed)
                failures.Add($"{result.CaseId}: {result.Outcome}: {result.Message}");
        }
        Assert.That(failures, Is.Empty);
        Assert.That(gemmCases, Is.GreaterThan(0), "no case of the suite could run the GEMM kernel");
        TestContext.Out.WriteLine(
            $"{suite.Cases.Count} cases passed, {gemmCases} of them through the implicit GEMM kernel"
        );
    }

    [TestCase(GpuKernelPolicy.DirectOnly)]
    [TestCase(GpuKernelPolicy.PreferImplicitGemm)]
    public void Infinities_and_NaN_land_where_the_reference_puts_them(GpuKernelPolicy policy)
    {
        // Zero padding: the reference has no term where a tap reads outside, so an infinite weight
        // must not meet a padding zero (inf * 0 = NaN) there.
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 2,
                OutChannels = 4,
                InputSize = [6, 5],
                KernelSize = [3, 3],
                PadBefore = [2, 1],
                PadAfter = [2, 1],
            }
        );
        var engine = new GpuEngine(Device, policy);
        foreach (var operation in Enum.GetValues<ConvOperation>())
        {
            var (first, second) = RandomProblems.Operands(problem, operation, seed: 5);
            second.Span[3] = float.PositiveInfinity;
            second.Span[7] = float.NegativeInfinity;
            first.Span[4] = float.NaN;
            Assert.That(
                engine.KernelFor(problem, operation, second),
                Is.EqualTo(GpuKernel.Direct),
                "non-finite A must take the direct kernel"
            );
            var verdict = ParityAssert.JudgeAgainstReference(
                engine,
                ParityProblem.Of(problem, operation, first, second)
            );
            Assert.That(verdict.Passed, Is.True, $"{operation}: {verdict}");
        }
    }

    [TestCase(GpuKernelPolicy.DirectOnly)]
    [TestCase(GpuKernelPolicy.PreferImplicitGemm)]
    public void Gives_the_same_bits_every_run(GpuKernelPolicy policy)
    {
        var problem = new ConvProblem(
            new()
            {
                Batch = 2,
                InChannels = 4,
                OutChannels = 6,
                InputSize = [6, 7],
                KernelSize = [3, 3],
                PadBefore = [1, 1],
                PadAfter = [1, 1],
                Flip = true,
            }
        );
        var engine = new GpuEngine(Device, policy);
        foreach (var operation in Enum.GetValues<ConvOperation>())
        {
            var (first, second) = RandomProblems.Operands(problem, operation, seed: 99);
            float[] once = engine.Run(problem, operation, first, second).Span.ToArray();
            float[] again = engine.Run(problem, operation, first, second).Span.ToArray();
            Assert.That(
                once.Select(BitConverter.SingleToInt32Bits),
                Is.EqualTo(again.Select(BitConverter.SingleToInt32Bits)),
                operation.ToString()
            );
        }
    }

    [Test]
    public void Auto_takes_implicit_gemm_for_channel_heavy_problems_and_direct_for_thin_ones()
    {
        var engine = new GpuEngine(Device);
        var heavy = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 16,
                OutChannels = 16,
                InputSize = [8, 8],
                KernelSize = [3, 3],
                PadBefore = [1, 1],
                PadAfter = [1, 1],
            }
        );
        var thin = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 1,
                OutChannels = 1,
                InputSize = [8, 8],
                KernelSize = [3, 3],
            }
        );
        Assert.Multiple(() =>
        {
            Assert.That(
                engine.KernelFor(heavy, ConvOperation.Forward, Tensor.Zeros(heavy.WeightShape)),
                Is.EqualTo(GpuKernel.ImplicitGemm)
            );
            Assert.That(
                engine.KernelFor(thin, ConvOperation.Forward, Tensor.Zeros(thin.WeightShape)),
                Is.EqualTo(GpuKernel.Direct)
            );
        });
    }

    [Test]
    public void A_problem_larger_than_the_device_memory_is_refused_with_both_sizes()
    {
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 2,
                OutChannels = 3,
                InputSize = [6, 6],
                KernelSize = [3, 3],
            }
        );
        long needed = GpuEngine.RequiredBytes(problem, ConvOperation.Forward);
        var (x, w) = RandomProblems.Operands(problem, ConvOperation.Forward, seed: 1);

        var tight = new GpuEngine(Device, memoryLimitBytes: needed - 1);
        var refusal = Assert.Throws<InsufficientMemoryException>(() => tight.Forward(problem, x, w));
        Assert.That(refusal.Message, Does.Contain($"{needed} bytes").And.Contain($"{needed - 1} bytes"));

        var enough = new GpuEngine(Device, memoryLimitBytes: needed);
        Assert.That(enough.Forward(problem, x, w).Shape, Is.EqualTo(problem.OutputShape));
    }

    [Test]
    public void Required_bytes_count_operands_result_and_tables()
    {
        // x 1*2*6*6, w 3*2*3*3, y 3*4*4 floats; tables per axis 2*4*3 + 6 + 1, plus 4 for the lifted axis.
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 2,
                OutChannels = 3,
                InputSize = [6, 6],
                KernelSize = [3, 3],
            }
        );
        Assert.That(
            GpuEngine.RequiredBytes(problem, ConvOperation.Forward),
            Is.EqualTo(4 * (72 + 54 + 48) + 4 * (2 * 31 + 4))
        );
    }

    [Test]
    public void Operands_of_the_wrong_shape_are_refused_by_name()
    {
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 2,
                OutChannels = 3,
                InputSize = [6, 6],
                KernelSize = [3, 3],
            }
        );
        var engine = new GpuEngine(Device);
        var error = Assert.Throws<ArgumentException>(() =>
            engine.Forward(problem, Tensor.Zeros(1, 2, 6, 5), Tensor.Zeros(problem.WeightShape))
        );
        Assert.That(error.ParamName, Is.EqualTo("x"));
    }
}
