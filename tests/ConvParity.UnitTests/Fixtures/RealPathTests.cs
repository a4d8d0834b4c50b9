using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>RealPath: links followed like POSIX realpath, '.' and '..' in link targets taken physically, the link
/// limit exactly at and one past, and what lies inside a folder.</summary>
public sealed class RealPathTests
{
    private string _scratch = "";

    [SetUp]
    public void CreateScratch() =>
        _scratch = RealPath.Resolve(Directory.CreateTempSubdirectory("convparity-real-").FullName);

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    [TestCase("/a/b", "/a/b", true)]
    [TestCase("/a/b/c", "/a/b", true)]
    [TestCase("/a/b/c", "/a/b/", true)]
    [TestCase("/a/bc", "/a/b", false)]
    [TestCase("/a", "/a/b", false)]
    [TestCase("/x", "/", true)]
    [TestCase("/", "/", true)]
    public void Inside_means_at_or_below_a_whole_folder_name(string inner, string outer, bool inside) =>
        Assert.That(RealPath.IsAtOrInside(inner, outer), Is.EqualTo(inside));

    [Test]
    public void Null_arguments_are_programming_errors()
    {
        Assert.That(() => RealPath.IsAtOrInside(null!, "/"), Throws.ArgumentNullException);
        Assert.That(() => RealPath.IsAtOrInside("/", null!), Throws.ArgumentNullException);
    }

    [TestCase("sub/./../file")]
    [TestCase("./file")]
    [TestCase("sub/../file")]
    public void Dots_in_a_link_target_are_resolved_from_the_folder_holding_the_link(string target)
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "sub"));
        File.CreateSymbolicLink(Path.Combine(_scratch, "link"), target);
        Assert.That(RealPath.Resolve(Path.Combine(_scratch, "link")), Is.EqualTo(Path.Combine(_scratch, "file")));
    }

    [Test]
    public void Dots_above_the_root_stay_at_the_root()
    {
        string target = string.Concat(Enumerable.Repeat("../", 40)) + _scratch.TrimStart('/') + "/file";
        File.CreateSymbolicLink(Path.Combine(_scratch, "link"), target);
        Assert.That(RealPath.Resolve(Path.Combine(_scratch, "link")), Is.EqualTo(Path.Combine(_scratch, "file")));
    }

    [Test]
    public void Forty_links_are_followed_and_the_forty_first_is_refused()
    {
        for (int i = 0; i < 41; i++)
            File.CreateSymbolicLink(Path.Combine(_scratch, $"l{i}"), $"l{i + 1}");
        Assert.That(RealPath.Resolve(Path.Combine(_scratch, "l1")), Is.EqualTo(Path.Combine(_scratch, "l41")));
        string first = Path.Combine(_scratch, "l0");
        Assert.That(
            () => RealPath.Resolve(first),
            Throws
                .TypeOf<FixtureException>()
                .With.Message.EqualTo($"{Path.Combine(_scratch, "l40")}: more than 40 symbolic links (a loop?)")
        );
    }
}
