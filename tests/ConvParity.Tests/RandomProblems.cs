using ConvParity.Problems;
using ConvParity.Tensors;

namespace ConvParity.Tests;

/// <summary>Seeded random problems of every kind, and random tensors for them: a failing seed replays exactly.</summary>
public static class RandomProblems
{
    private static readonly BoundaryKind[] Kinds = Enum.GetValues<BoundaryKind>();

    /// <summary>A valid problem drawn from <paramref name="seed"/>: rank 1-3, groups, stride, dilation, pads, flip, every boundary, sometimes unshared.</summary>
    public static ConvProblem Create(int seed)
    {
        var random = new Random(seed);
        while (true)
        {
            int rank = random.Next(1, 4);
            int groups = random.Next(1, 4);
            int[] Axes(int min, int max) => [.. Enumerable.Range(0, rank).Select(_ => random.Next(min, max + 1))];
            var kind = Kinds[random.Next(Kinds.Length)];
            var boundary = kind == BoundaryKind.Constant ? Boundary.Constant((float)Math.Round(random.NextDouble() * 4 - 2, 2)) : new Boundary(kind);
            try
            {
                return new ConvProblem(
                    batch: random.Next(1, 3), inChannels: groups * random.Next(1, 4), outChannels: groups * random.Next(1, 3),
                    inputSize: Axes(1, rank == 3 ? 5 : 8), kernelSize: Axes(1, 4),
                    padBefore: Axes(0, 3), padAfter: Axes(0, 3), stride: Axes(1, 3), dilation: Axes(1, 2),
                    groups: groups, flip: random.Next(2) == 1, boundary: boundary, unshared: random.Next(5) == 0);
            }
            catch (ArgumentException)
            {
                // An empty output: draw again from the same stream.
            }
        }
    }

    /// <summary>A tensor of standard-normal-like values (sum of uniforms), seeded.</summary>
    public static Tensor Tensor(int[] shape, int seed)
    {
        var random = new Random(seed);
        var data = new float[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
        return new Tensor(data, shape);
    }
}
