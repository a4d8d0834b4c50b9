using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ConvParity.Fixtures;

/// <summary>
/// A folder written whole or not at all (a suite, a report): the work goes into <c>.NAME.partial-PID</c>
/// beside the target, under a lock on the target (<c>.NAME.lock</c>), and is moved into place by
/// <see cref="Commit"/>. An existing target is replaced only when the caller allows it, checked when the
/// folder is claimed and again at the move. Leftovers of runs whose process is gone (<c>.NAME.partial-PID</c>,
/// <c>.NAME.old-PID</c>) are removed; nothing else beside the target is ever touched.
/// </summary>
public sealed class OutputFolder : IDisposable
{
    private readonly FileStream _lock;
    private readonly Func<string, bool> _mayReplace;
    private readonly string _refusal;
    private bool _committed;

    private OutputFolder(
        string target,
        string staging,
        FileStream fileLock,
        Func<string, bool> mayReplace,
        string refusal
    ) => (Target, Staging, _lock, _mayReplace, _refusal) = (target, staging, fileLock, mayReplace, refusal);

    /// <summary>The absolute path of the folder to write.</summary>
    public string Target { get; }

    /// <summary>The empty folder to write into; it becomes <see cref="Target"/> at <see cref="Commit"/>.</summary>
    public string Staging { get; }

    /// <summary>
    /// Claims <paramref name="directory"/>: checks that its parent can be a folder, takes the lock, removes stale
    /// leftovers and creates the staging folder. An existing target must satisfy <paramref name="mayReplace"/>.
    /// </summary>
    /// <param name="directory">The folder to write.</param>
    /// <param name="mayReplace">Whether an existing file or folder at the target may be replaced (for example: --force
    /// was given).</param>
    /// <param name="refusal">Why an existing target may not be replaced, with the way out ("pass --force to replace
    /// it").</param>
    /// <exception cref="OutputFolderException">
    /// A parent is a file, the target exists and may not be replaced, another run holds the lock, or the folders cannot
    /// be made.
    /// </exception>
    public static OutputFolder Claim(string directory, Func<string, bool> mayReplace, string refusal)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(mayReplace);
        string target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        string name = Path.GetFileName(target);
        string parent =
            Path.GetDirectoryName(target)
            ?? throw new OutputFolderException($"{directory}: the root folder cannot be written whole");
        for (string? above = parent; above is not null; above = Path.GetDirectoryName(above))
        {
            if (File.Exists(above))
                throw new OutputFolderException($"{directory}: {above} is a file, not a folder");
            if (Directory.Exists(above))
                // Stryker disable once Statement : no file lies above an existing folder: the walk upwards finds none
                break;
        }
        RequireReplaceable(target, mayReplace, refusal);
        FileStream fileLock;
        try
        {
            Directory.CreateDirectory(parent);
            fileLock = new FileStream(
                Path.Combine(parent, $".{name}.lock"),
                FileMode.OpenOrCreate,
                FileAccess.ReadWrite,
                FileShare.None,
                1,
                FileOptions.DeleteOnClose
            );
        }
        catch (IOException e) when (Directory.Exists(parent))
        {
            throw new OutputFolderException(
                $"{target} is being written by another ConvParity run (.{name}.lock is held): {e.Message}",
                e
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException($"{target}: cannot create {parent}: {e.Message}", e);
        }
        try
        {
            RemoveStale(parent, name);
            string staging = Path.Combine(parent, $".{name}.partial-{Environment.ProcessId}");
            // Stryker disable all : RemoveStale has just removed this process's own leftovers, the staging folder too
            if (Directory.Exists(staging))
                Directory.Delete(staging, recursive: true);
            // Stryker restore all
            Directory.CreateDirectory(staging);
            return new OutputFolder(target, staging, fileLock, mayReplace, refusal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            fileLock.Dispose();
            throw new OutputFolderException($"{target}: cannot create the staging folder beside it: {e.Message}", e);
        }
    }

    /// <summary>Moves the staging folder into place, replacing the old target only now that the new one is
    /// complete.</summary>
    /// <exception cref="OutputFolderException">The target appeared meanwhile and may not be replaced, or the move
    /// failed.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        RequireReplaceable(Target, _mayReplace, _refusal);
        string old = Staging.Replace(".partial-", ".old-", StringComparison.Ordinal);
        try
        {
            if (File.Exists(Target))
                File.Move(Target, old);
            else if (Directory.Exists(Target))
                Directory.Move(Target, old);
            Directory.Move(Staging, Target);
            if (Directory.Exists(old))
                Directory.Delete(old, recursive: true);
            else if (File.Exists(old))
                File.Delete(old);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException($"{Target}: cannot move the finished folder into place: {e.Message}", e);
        }
        _committed = true;
    }

    /// <summary>Removes the staging folder unless it was committed, and releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            if (!_committed && Directory.Exists(Staging))
                Directory.Delete(Staging, recursive: true);
        }
        finally
        {
            _committed = true;
            _lock.Dispose();
        }
    }

    private static void RequireReplaceable(string target, Func<string, bool> mayReplace, string refusal)
    {
        if ((Directory.Exists(target) || File.Exists(target)) && !mayReplace(target))
            throw new OutputFolderException(
                $"{target} already exists{(File.Exists(target) ? " (a file)" : "")}; {refusal}"
            );
    }

    /// <summary>Removes <c>.NAME.partial-PID</c> and <c>.NAME.old-PID</c> beside the target whose process is gone;
    /// nothing else.</summary>
    private static void RemoveStale(string parent, string name)
    {
        var ours = new Regex(
            $"^\\.{Regex.Escape(name)}\\.(partial|old)-([0-9]{{1,9}})$",
            RegexOptions.CultureInvariant
        );
        // Stryker disable once String : the pattern only narrows the listing; the regex below decides what is ours
        foreach (string entry in Directory.EnumerateFileSystemEntries(parent, $".{name}.*"))
        {
            var match = ours.Match(Path.GetFileName(entry));
            if (
                !match.Success
                || Running(int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            )
                continue;
            if (new FileInfo(entry).LinkTarget is not null || File.Exists(entry))
                File.Delete(entry); // a link: the link only
            else
                Directory.Delete(entry, recursive: true);
        }
    }

    private static bool Running(int pid)
    {
        if (pid == Environment.ProcessId)
            return false; // ours from an earlier claim: this process is not using it
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
