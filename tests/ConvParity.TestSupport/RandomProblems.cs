using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>Seeded random problems of every kind, and random tensors for them: a failing seed replays
/// exactly.</summary>
public static class RandomProblems
{
    private static readonly BoundaryKind[] Kinds = Enum.GetValues<BoundaryKind>();

    /// <summary>A valid problem drawn from <paramref name="seed"/>: rank 1-3, groups, stride, dilation, pads, flip,
    /// every boundary, sometimes unshared.</summary>
    public static ConvProblem Create(int seed)
    {
        var random = new Random(seed);
        while (true)
        {
            int rank = random.Next(1, 4);
            int groups = random.Next(1, 4);
            int[] Axes(int min, int max) => [.. Enumerable.Range(0, rank).Select(_ => random.Next(min, max + 1))];
            var kind = Kinds[random.Next(Kinds.Length)];
            var boundary =
                kind == BoundaryKind.Constant
                    ? Boundary.Constant((float)Math.Round(random.NextDouble() * 4 - 2, 2))
                    : new Boundary(kind);
            var spec = new ConvProblemSpec
            {
                Batch = random.Next(1, 3),
                InChannels = groups * random.Next(1, 4),
                OutChannels = groups * random.Next(1, 3),
                InputSize = Axes(1, rank == 3 ? 5 : 8),
                KernelSize = Axes(1, 4),
                PadBefore = Axes(0, 3),
                PadAfter = Axes(0, 3),
                Stride = Axes(1, 3),
                Dilation = Axes(1, 2),
                Groups = groups,
                Flip = random.Next(2) == 1,
                Boundary = boundary,
                Unshared = random.Next(5) == 0,
            };
            // An empty output gives no problem: draw again from the same stream.
            if (ConvProblem.TryCreate(spec, out var problem, out _))
                return problem;
        }
    }

    /// <summary>A tensor of values uniform in [-1, 1), drawn from <paramref name="random"/> in element order.</summary>
    public static Tensor Uniform(int[] shape, Random random)
    {
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)(random.NextDouble() * 2 - 1);
        return new Tensor(data, shape);
    }

    /// <summary>The two operands of <paramref name="operation"/> on <paramref name="problem"/>, uniform in [-1, 1),
    /// drawn in turn from one stream seeded with <paramref name="seed"/>.</summary>
    public static (Tensor First, Tensor Second) Operands(ConvProblem problem, ConvOperation operation, int seed)
    {
        var random = new Random(seed);
        var (first, second) = problem.OperandShapes(operation);
        return (Uniform(first, random), Uniform(second, random));
    }

    /// <summary>A tensor of standard-normal-like values (sum of uniforms), seeded.</summary>
    public static Tensor Tensor(int[] shape, int seed)
    {
        var random = new Random(seed);
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++)
            data[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
        return new Tensor(data, shape);
    }
}
