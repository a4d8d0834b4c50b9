using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ConvParity.Tests;

/// <summary>
/// Every public constructor of a ConvParity package (a packable project under harness/ with code) documents each
/// of its parameters with a <c>param</c> tag. The compiler checks only that a member has a doc comment (CS1591)
/// and that the parameters it names exist, not that every parameter is named; this test reads the packages' XML
/// documentation files, where a record's or class's primary constructor carries the type's param tags.
/// </summary>
public sealed class ConstructorDocsTests
{
    /// <summary>The assembly names of the packages: harness/ projects that are packable and hold C# files.</summary>
    internal static IReadOnlyList<string> PackageAssemblies()
    {
        var names = new List<string>();
        string harness = Path.Combine(Repository.Root, "harness");
        foreach (string project in Directory.EnumerateFiles(harness, "*.csproj", SearchOption.AllDirectories))
        {
            string folder = Path.GetDirectoryName(project)!;
            var root = XElement.Load(project);
            string? Property(string name) => root.Descendants(name).Select(e => e.Value.Trim()).LastOrDefault();
            if (string.Equals(Property("IsPackable"), "false", StringComparison.OrdinalIgnoreCase))
                continue;
            bool hasCode = Directory
                .EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .Any(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
            if (hasCode)
                names.Add(Property("AssemblyName") ?? Path.GetFileNameWithoutExtension(project));
        }
        return names.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The XML documentation ID of a parameter type (the C# specification's annex D).</summary>
    internal static string TypeId(Type t)
    {
        if (t.IsByRef)
            return TypeId(t.GetElementType()!) + "@";
        if (t.IsPointer)
            return TypeId(t.GetElementType()!) + "*";
        if (t.IsArray)
        {
            int rank = t.GetArrayRank();
            string dims = t.IsSZArray ? "[]" : "[" + string.Join(",", Enumerable.Repeat("0:", rank)) + "]";
            return TypeId(t.GetElementType()!) + dims;
        }
        if (t.IsGenericParameter)
            return (t.DeclaringMethod is null ? "`" : "``") + t.GenericParameterPosition;
        if (t.IsConstructedGenericType)
        {
            string definition = TypeId(t.GetGenericTypeDefinition());
            string name = Regex.Replace(definition, @"`\d+$", "");
            return name + "{" + string.Join(",", t.GenericTypeArguments.Select(TypeId)) + "}";
        }
        return (t.FullName ?? t.Name).Replace('+', '.');
    }

    /// <summary>The documentation member name of a constructor.</summary>
    internal static string ConstructorId(ConstructorInfo c)
    {
        var parameters = c.GetParameters();
        string type = TypeId(c.DeclaringType!);
        return parameters.Length == 0
            ? $"M:{type}.#ctor"
            : $"M:{type}.#ctor({string.Join(",", parameters.Select(p => TypeId(p.ParameterType)))})";
    }

    /// <summary>Each public constructor with parameters of a visible type, with the parameters its docs miss.</summary>
    private static List<string> Undocumented(Assembly assembly, out int constructors)
    {
        string xml = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.That(File.Exists(xml), Is.True, $"{assembly.GetName().Name}: no XML documentation file at {xml}");
        var members = XDocument
            .Load(xml)
            .Descendants("member")
            .ToDictionary(m => (string)m.Attribute("name")!, StringComparer.Ordinal);
        var offenders = new List<string>();
        constructors = 0;
        foreach (var type in assembly.GetExportedTypes())
        foreach (var ctor in type.GetConstructors(BindingFlags.Public | BindingFlags.Instance))
        {
            var parameters = ctor.GetParameters();
            if (parameters.Length == 0)
                continue;
            constructors++;
            string id = ConstructorId(ctor);
            var documented = members.TryGetValue(id, out var member)
                ? member.Elements("param").Select(p => (string?)p.Attribute("name")).ToHashSet(StringComparer.Ordinal)
                : [];
            var missing = parameters.Where(p => !documented.Contains(p.Name)).Select(p => p.Name).ToList();
            if (missing.Count > 0)
                offenders.Add($"{id}: no <param> for {string.Join(", ", missing)}");
        }
        return offenders;
    }

    [Test]
    public void EveryPublicConstructorOfThePackagesDocumentsItsParameters()
    {
        var offenders = new List<string>();
        int constructors = 0;
        foreach (string name in PackageAssemblies())
        {
            offenders.AddRange(Undocumented(Assembly.Load(name), out int count));
            constructors += count;
        }
        Assert.That(constructors, Is.GreaterThan(20), "the scan found too few constructors to mean anything");
        Assert.That(offenders, Is.Empty, string.Join(Environment.NewLine, offenders));
    }

    /// <summary>The packages the scan covers are the ones scripts/pack writes (References holds no code).</summary>
    [Test]
    public void ThePackagesAreFoundFromTheProjects()
    {
        Assert.That(
            PackageAssemblies(),
            Is.EqualTo(
                new[]
                {
                    "ConvParity.Core",
                    "ConvParity.Cpu",
                    "ConvParity.Fixtures",
                    "ConvParity.Gpu",
                    "ConvParity.Python",
                    "ConvParity.Reporting",
                    "ConvParity.Testing",
                    "convparity",
                }
            )
        );
    }

    /// <summary>The documentation IDs match the compiler's for arrays, generics, nested types and by-ref.</summary>
    [Test]
    public void ConstructorIdsMatchTheCompilersDocumentationIds()
    {
        var ids = typeof(ConstructorDocsTests)
            .Assembly.GetTypes()
            .Where(t => t == typeof(DocIdSample) || t == typeof(DocIdSample.Nested<>))
            .SelectMany(t => t.GetConstructors())
            .Select(ConstructorId)
            .Order(StringComparer.Ordinal);
        Assert.That(
            ids,
            Is.EqualTo(
                new[]
                {
                    "M:ConvParity.Tests.DocIdSample.#ctor(System.Int32[],System.Double[0:,0:],"
                        + "System.Collections.Generic.IReadOnlyList{System.String},System.Int32@)",
                    "M:ConvParity.Tests.DocIdSample.Nested`1.#ctor(`0,System.Nullable{System.Int32})",
                }
            )
        );
        var compiled = XDocument
            .Load(Path.ChangeExtension(typeof(ConstructorDocsTests).Assembly.Location, ".xml"))
            .Descendants("member")
            .Select(m => (string)m.Attribute("name")!);
        Assert.That(compiled, Is.SupersetOf(ids));
    }
}
