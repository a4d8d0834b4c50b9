using System.Diagnostics;
using ConvParity.Fixtures;

namespace ConvParity.Tests;

/// <summary>
/// OutputFolder itself (the commands' use of it is in Cli/OutputFolderTests): a folder written whole or not at all,
/// an existing target replaced only when allowed, and nothing beside it touched but this program's own leftovers.
/// </summary>
public sealed class OutputFolderClaimTests
{
    private string _scratch = "";

    [SetUp]
    public void CreateScratch() => _scratch = Directory.CreateTempSubdirectory("convparity-claim-").FullName;

    [TearDown]
    public void RemoveScratch() => Directory.Delete(_scratch, recursive: true);

    private static OutputFolder Claim(string directory, bool mayReplace = false) =>
        OutputFolder.Claim(directory, _ => mayReplace, "pass --force to replace it");

    private string[] Listing() =>
        [.. Directory.EnumerateFileSystemEntries(_scratch).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    [Test]
    public void A_claimed_folder_is_staged_beside_the_target_and_moved_into_place_at_commit()
    {
        string target = Path.Combine(_scratch, "out");
        using (var folder = Claim(target + "/"))
        {
            Assert.That(folder.Target, Is.EqualTo(target));
            Assert.That(folder.Staging, Is.EqualTo(Path.Combine(_scratch, $".out.partial-{Environment.ProcessId}")));
            Assert.That(Directory.EnumerateFileSystemEntries(folder.Staging), Is.Empty);
            Assert.That(Listing(), Is.EqualTo(new[] { ".out.lock", $".out.partial-{Environment.ProcessId}" }));
            File.WriteAllText(Path.Combine(folder.Staging, "a.txt"), "new");
            Assert.That(Directory.Exists(target), Is.False, "nothing at the target before the commit");
            folder.Commit();
            Assert.That(() => folder.Commit(), Throws.TypeOf<ObjectDisposedException>());
        }
        Assert.That(File.ReadAllText(Path.Combine(target, "a.txt")), Is.EqualTo("new"), "kept after Dispose");
        Assert.That(Listing(), Is.EqualTo(new[] { "out" }), "no lock, partial or old folder left");
    }

    [Test]
    public void A_folder_disposed_without_commit_leaves_nothing_and_frees_the_target()
    {
        string target = Path.Combine(_scratch, "out");
        using (var folder = Claim(target))
            File.WriteAllText(Path.Combine(folder.Staging, "a.txt"), "half");
        Assert.That(Listing(), Is.Empty);
        using (Claim(target)) { }
    }

    [Test]
    public void An_existing_folder_or_file_is_replaced_only_when_allowed_and_only_at_commit()
    {
        string folderTarget = Path.Combine(_scratch, "dir");
        Directory.CreateDirectory(folderTarget);
        File.WriteAllText(Path.Combine(folderTarget, "old.txt"), "old");
        string fileTarget = Path.Combine(_scratch, "file");
        File.WriteAllText(fileTarget, "old");
        Assert.That(
            () => Claim(folderTarget),
            Throws
                .TypeOf<OutputFolderException>()
                .With.Message.EqualTo($"{folderTarget} already exists; pass --force to replace it")
        );
        Assert.That(
            () => Claim(fileTarget),
            Throws
                .TypeOf<OutputFolderException>()
                .With.Message.EqualTo($"{fileTarget} already exists (a file); pass --force to replace it")
        );
        var asked = new List<string>();
        foreach (string target in new[] { folderTarget, fileTarget })
        {
            using var folder = OutputFolder.Claim(
                target,
                t =>
                {
                    asked.Add(t);
                    return true;
                },
                "never"
            );
            File.WriteAllText(Path.Combine(folder.Staging, "new.txt"), "new");
            Assert.That(
                Directory.Exists(folderTarget) && File.Exists(fileTarget),
                "the old ones stay until the commit"
            );
            folder.Commit();
            Assert.That(Directory.GetFiles(target).Select(Path.GetFileName), Is.EqualTo(new[] { "new.txt" }));
        }
        Assert.That(
            asked,
            Is.EqualTo(new[] { folderTarget, folderTarget, fileTarget, fileTarget }),
            "at claim and at commit"
        );
        Assert.That(Listing(), Is.EqualTo(new[] { "dir", "file" }), "no old copy left beside them");
    }

    [Test]
    public void A_second_claim_of_a_held_target_is_refused_until_the_first_is_done()
    {
        string target = Path.Combine(_scratch, "out");
        using (Claim(target))
            Assert.That(
                () => Claim(target),
                Throws
                    .TypeOf<OutputFolderException>()
                    .With.Message.StartWith(
                        $"{target} is being written by another ConvParity run (.out.lock is held): "
                    )
            );
        using (Claim(target)) { }
    }

    [Test]
    public void A_disposed_folder_cannot_be_committed()
    {
        var folder = Claim(Path.Combine(_scratch, "out"));
        folder.Dispose();
        Assert.That(folder.Commit, Throws.TypeOf<ObjectDisposedException>());
    }

    [Test]
    public void A_replaced_target_is_set_aside_under_this_program_s_own_name_only()
    {
        // A user's folder whose name is the staging name without ".partial-" is not ours: never moved onto.
        string target = Path.Combine(_scratch, "out");
        Directory.CreateDirectory(target);
        string theirs = Path.Combine(_scratch, $".out{Environment.ProcessId}");
        Directory.CreateDirectory(theirs);
        File.WriteAllText(Path.Combine(theirs, "mine.txt"), "mine");
        using (var folder = Claim(target, mayReplace: true))
            folder.Commit();
        Assert.That(File.ReadAllText(Path.Combine(theirs, "mine.txt")), Is.EqualTo("mine"));
        Assert.That(Listing(), Is.EqualTo(new[] { $".out{Environment.ProcessId}", "out" }));
    }

    [Test]
    public void A_parent_that_cannot_be_made_is_named()
    {
        string target = "/proc/convparity-no-such-folder/out";
        Assert.That(
            () => Claim(target),
            Throws
                .TypeOf<OutputFolderException>()
                .With.Message.StartWith($"{target}: cannot create /proc/convparity-no-such-folder: ")
        );
    }

    [Test]
    public void A_staging_folder_that_vanished_fails_the_commit_by_name()
    {
        string target = Path.Combine(_scratch, "out");
        using var folder = Claim(target);
        Directory.Delete(folder.Staging);
        Assert.That(
            folder.Commit,
            Throws
                .TypeOf<OutputFolderException>()
                .With.Message.StartWith($"{target}: cannot move the finished folder into place: ")
        );
    }

    [Test]
    public void Folders_above_the_target_are_made_and_a_file_among_them_is_refused()
    {
        string deep = Path.Combine(_scratch, "a", "b", "out");
        using (var folder = Claim(deep))
            folder.Commit();
        Assert.That(Directory.Exists(deep));
        string file = Path.Combine(_scratch, "f");
        File.WriteAllText(file, "mine");
        string under = Path.Combine(file, "b", "out");
        Assert.That(
            () => Claim(under),
            Throws.TypeOf<OutputFolderException>().With.Message.EqualTo($"{under}: {file} is a file, not a folder")
        );
        Assert.That(File.ReadAllText(file), Is.EqualTo("mine"));
    }

    [Test]
    public void The_root_folder_cannot_be_claimed() =>
        Assert.That(
            () => Claim("/"),
            Throws.TypeOf<OutputFolderException>().With.Message.EqualTo("/: the root folder cannot be written whole")
        );

    [Test]
    public void Null_arguments_are_programming_errors()
    {
        Assert.That(
            () => OutputFolder.Claim(null!, _ => true, ""),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentException.ParamName)).EqualTo("directory")
        );
        Assert.That(() => OutputFolder.Claim(Path.Combine(_scratch, "x"), null!, ""), Throws.ArgumentNullException);
    }

    [Test]
    public void Leftovers_of_gone_runs_and_of_this_one_are_removed_links_without_what_they_lead_to()
    {
        var (dead, gone) = (DeadProcessId(), DeadProcessId());
        string outside = Directory.CreateTempSubdirectory("convparity-kept-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "precious.txt"), "keep");
            Directory.CreateDirectory(Path.Combine(_scratch, $".out.partial-{dead}", "inner"));
            File.WriteAllText(Path.Combine(_scratch, $".out.old-{dead}"), "a file");
            Directory.CreateSymbolicLink(Path.Combine(_scratch, $".out.old-{gone}"), outside);
            Directory.CreateDirectory(Path.Combine(_scratch, $".out.old-{Environment.ProcessId}", "inner"));
            Directory.CreateDirectory(Path.Combine(_scratch, ".out.old-1", "inner"));
            using (Claim(Path.Combine(_scratch, "out"))) { }
            Assert.That(Listing(), Is.EqualTo(new[] { ".out.old-1" }), "process 1 is running");
            Assert.That(File.ReadAllText(Path.Combine(outside, "precious.txt")), Is.EqualTo("keep"));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    /// <summary>The id of a process that has exited (a short-lived child's).</summary>
    private static int DeadProcessId()
    {
        using var child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        child.WaitForExit();
        return child.Id;
    }
}
