using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>The suites bundled beside the program (here: beside the test assembly, as the References package puts
/// them), found by a plain name.</summary>
public sealed class BundledSuitesTests
{
    [Test]
    public void The_bundled_suites_are_the_committed_ones_in_ordinal_order()
    {
        Assert.That(BundledSuites.Root, Is.EqualTo(Path.Combine(AppContext.BaseDirectory, "convparity-fixtures")));
        Assert.That(
            BundledSuites.Names,
            Is.EqualTo(
                Repository.SuiteFolders.Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()
            ).And.Not.Empty
        );
        Assert.That(BundledSuites.Folder("seed"), Is.EqualTo(Path.Combine(BundledSuites.Root, "seed")));
    }

    [Test]
    public void A_folder_without_a_manifest_is_no_suite()
    {
        string stray = Path.Combine(BundledSuites.Root, "a-stray-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(stray);
        try
        {
            Assert.That(BundledSuites.Names, Does.Not.Contain(Path.GetFileName(stray)));
            Assert.That(
                () => BundledSuites.Folder(Path.GetFileName(stray)),
                Throws.TypeOf<FixtureException>().With.Message.Contain("no bundled suite has this name")
            );
        }
        finally
        {
            Directory.Delete(stray);
        }
    }

    [TestCase("")]
    [TestCase(".")]
    [TestCase(".seed")]
    [TestCase("../seed")]
    [TestCase("se/ed")]
    [TestCase("se ed")]
    [TestCase("s\u00e9ed")]
    public void A_name_that_is_not_a_plain_name_is_refused_as_such(string name) =>
        Assert.That(
            () => BundledSuites.Folder(name),
            Throws
                .TypeOf<FixtureException>()
                .With.Message.EqualTo(
                    $"{name}: not a bundled suite name (letters, digits, '-', '_' and '.', not starting with '.')"
                )
        );

    [TestCase("a-b")]
    [TestCase("a_b")]
    [TestCase("a.b")]
    [TestCase("Seed")]
    [TestCase("seed2")]
    public void A_plain_name_no_suite_has_is_refused_listing_the_bundled_ones(string name) =>
        Assert.That(
            () => BundledSuites.Folder(name),
            Throws
                .TypeOf<FixtureException>()
                .With.Message.EqualTo(
                    $"{name}: no bundled suite has this name (bundled: {string.Join(", ", BundledSuites.Names)})"
                )
        );

    [Test, NonParallelizable]
    public void Without_the_bundled_folder_there_are_none_and_the_package_is_named()
    {
        string aside = BundledSuites.Root + ".aside-" + Guid.NewGuid().ToString("N");
        Directory.Move(BundledSuites.Root, aside);
        try
        {
            Assert.That(BundledSuites.Names, Is.Empty);
            Assert.That(
                () => BundledSuites.Folder("seed"),
                Throws
                    .TypeOf<FixtureException>()
                    .With.Message.EqualTo(
                        $"seed: no bundled suites in {BundledSuites.Root}: add the ConvParity.References package to "
                            + "the project"
                    )
            );
        }
        finally
        {
            Directory.Move(aside, BundledSuites.Root);
        }
    }

    [Test]
    public void A_null_name_is_a_programming_error() =>
        Assert.That(() => BundledSuites.Folder(null!), Throws.ArgumentNullException);
}
