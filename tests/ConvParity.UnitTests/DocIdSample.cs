namespace ConvParity.Tests;

/// <summary>Constructors whose documentation IDs ConstructorDocsTests compares with the compiler's.</summary>
public sealed class DocIdSample
{
    /// <summary>Arrays of both kinds, a constructed generic type and a by-ref parameter.</summary>
    /// <param name="vector">A one-dimensional array.</param>
    /// <param name="matrix">A two-dimensional array.</param>
    /// <param name="names">A constructed generic type.</param>
    /// <param name="count">A by-ref parameter.</param>
    public DocIdSample(int[] vector, double[,] matrix, IReadOnlyList<string> names, ref int count)
    {
        Length = vector.Length + matrix.Length + names.Count + count;
    }

    /// <summary>The sum of the sizes, so the parameters are used.</summary>
    public int Length { get; }

    /// <summary>A nested generic type.</summary>
    /// <typeparam name="T">Any type.</typeparam>
    public sealed class Nested<T>
    {
        /// <summary>A type parameter and a nullable value type.</summary>
        /// <param name="value">A value of the type parameter.</param>
        /// <param name="count">A nullable value type.</param>
        public Nested(T value, int? count)
        {
            Value = value;
            Count = count;
        }

        /// <summary>The value given.</summary>
        public T Value { get; }

        /// <summary>The count given.</summary>
        public int? Count { get; }
    }
}
