using System.Reflection;
using System.Runtime.CompilerServices;
using ConvParity.Conventions;
using ConvParity.Explaining;
using ConvParity.Problems;

namespace ConvParity.Tests;

/// <summary>Core's public types are values: nothing a caller holds can be changed behind another's back.</summary>
public sealed class ImmutabilityTests
{
    /// <summary>Public members that hand out an array built afresh on every call (no shared state), by name.</summary>
    private static readonly HashSet<string> FreshArrays =
    [
        "ConvProblem.InputShape",
        "ConvProblem.WeightShape",
        "ConvProblem.OutputShape",
        "ArrayView.CanonicalShape",
        "Hypothesis.PadBefore",
        "Hypothesis.PadAfter",
        "Hypothesis.FullInputSize",
    ];

    /// <summary>Types that are mutable by design, with the reason.</summary>
    private static readonly Dictionary<string, string> MutableByDesign = new() { };

    /// <summary>Every public member of Core's public types through which state could be changed.</summary>
    private static IEnumerable<string> MutableMembers()
    {
        const BindingFlags Flags =
            BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in typeof(ConvProblem).Assembly.GetExportedTypes())
        {
            if (type.IsEnum || typeof(Delegate).IsAssignableFrom(type) || MutableByDesign.ContainsKey(type.Name))
                continue;
            foreach (var field in type.GetFields(Flags))
            {
                if (field.IsLiteral)
                    continue;
                if (!field.IsInitOnly)
                    yield return $"{type.Name}.{field.Name} is a writable field";
                else if (field.FieldType.IsArray)
                    yield return $"{type.Name}.{field.Name} is an array field";
            }
            foreach (var property in type.GetProperties(Flags))
            {
                var setter = property.GetSetMethod();
                bool initOnly =
                    setter is not null
                    && setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
                if (setter is not null && !initOnly)
                    yield return $"{type.Name}.{property.Name} has a public setter";
                if (property.PropertyType.IsArray && !FreshArrays.Contains($"{type.Name}.{property.Name}"))
                    yield return $"{type.Name}.{property.Name} hands out an array";
            }
        }
    }

    [Test]
    public void Core_public_types_have_no_mutable_members() => Assert.That(MutableMembers().ToList(), Is.Empty);

    [Test]
    public void The_members_allowed_to_return_arrays_return_a_fresh_one_each_time()
    {
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 1,
                OutChannels = 1,
                InputSize = [4],
                KernelSize = [2],
            }
        );
        var plan = new ConvPlan(
            "test",
            problem,
            ConvOperation.Forward,
            problem.OutputShape,
            ReferenceAlgorithm.Direct,
            ""
        );
        var samples = new object[] { problem, ArrayView.Reshape([2, 3]), Hypothesis.FromPlan(plan) };
        foreach (string name in FreshArrays)
        {
            string[] parts = name.Split('.');
            var sample = samples.Single(o => o.GetType().Name == parts[0]);
            var property = sample.GetType().GetProperty(parts[1])!;
            object? first = property.GetValue(sample),
                second = property.GetValue(sample);
            Assert.That(first, Is.Not.SameAs(second), name);
        }
    }

    [Test]
    public void A_problem_is_a_value_equal_axis_by_axis()
    {
        int[] pads = [1, 2];
        ConvProblem Make(int[] before, int[] after) =>
            new(
                new()
                {
                    Batch = 1,
                    InChannels = 2,
                    OutChannels = 3,
                    InputSize = [6, 7],
                    KernelSize = [3, 3],
                    PadBefore = before,
                    PadAfter = after,
                }
            );
        var problem = Make(pads, [2, 1]);
        pads[0] = 5;
        Assert.Multiple(() =>
        {
            Assert.That(problem.PadBefore, Is.EqualTo(new[] { 1, 2 }), "the problem keeps its own copy");
            Assert.That(problem, Is.EqualTo(Make([1, 2], [2, 1])));
            Assert.That(problem.GetHashCode(), Is.EqualTo(Make([1, 2], [2, 1]).GetHashCode()));
            Assert.That(problem, Is.Not.EqualTo(Make([2, 1], [1, 2])), "swapped pads are another problem");
            Assert.That(problem == Make([1, 2], [2, 1]), Is.True);
            Assert.That(problem.WithFlip(true), Is.Not.EqualTo(problem));
            Assert.That(new ConvProblem(problem.ToSpec()), Is.EqualTo(problem));
            Assert.That(
                problem.PadBefore,
                Is.Not.InstanceOf<int[]>(),
                "the axes cannot be cast back to a writable array"
            );
        });
    }

    [Test]
    public void TryCreate_refuses_with_the_constructor_s_reason_and_does_not_throw()
    {
        var spec = new ConvProblemSpec
        {
            Batch = 1,
            InChannels = 2,
            OutChannels = 2,
            InputSize = [5, 5],
            KernelSize = [3, 3],
            Stride = [1, 0],
        };
        Assert.That(ConvProblem.TryCreate(spec, out var problem, out string? error), Is.False);
        var thrown = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ConvProblem(spec))!;
        Assert.Multiple(() =>
        {
            Assert.That(problem, Is.Null);
            Assert.That(thrown.Message, Does.StartWith(error!));
            Assert.That(ConvProblem.TryCreate(spec with { Stride = null }, out problem, out error), Is.True);
            Assert.That(problem!.OutputSize, Is.EqualTo(new[] { 3, 3 }));
            Assert.That(error, Is.Null);
        });
    }

    [Test]
    public void A_plan_copies_its_result_shape_and_compares_it_axis_by_axis()
    {
        var problem = new ConvProblem(
            new()
            {
                Batch = 1,
                InChannels = 1,
                OutChannels = 1,
                InputSize = [4],
                KernelSize = [2],
            }
        );
        int[] shape = [3];
        var plan = new ConvPlan("test", problem, ConvOperation.Forward, shape, ReferenceAlgorithm.Direct, "");
        shape[0] = 9;
        Assert.Multiple(() =>
        {
            Assert.That(plan.ResultShape, Is.EqualTo(new[] { 3 }));
            Assert.That(plan, Is.EqualTo(plan with { Explanation = "" }));
            Assert.That(
                plan,
                Is.EqualTo(new ConvPlan("test", problem, ConvOperation.Forward, [3], ReferenceAlgorithm.Direct, ""))
            );
        });
    }
}
