namespace ConvParity.Fixtures;

/// <summary>A path with every symbolic link on it resolved, like POSIX realpath; parts that do not exist are kept as
/// written.</summary>
public static class RealPath
{
    /// <summary>How many links one resolution follows before it gives up (the kernel's limit is 40).</summary>
    private const int MaxLinks = 40;

    /// <summary>The absolute path <paramref name="path"/> leads to, with every link on the way followed.</summary>
    /// <param name="path">Any path, relative to the current folder or absolute.</param>
    /// <exception cref="FixtureException">More than <see cref="MaxLinks"/> links (a loop).</exception>
    public static string Resolve(string path)
    {
        int links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    /// <summary>Whether <paramref name="inner"/> is <paramref name="outer"/> or lies inside it (both resolved
    /// already).</summary>
    public static bool IsAtOrInside(string inner, string outer)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(outer);
        string o = Path.TrimEndingDirectorySeparator(outer),
            i = Path.TrimEndingDirectorySeparator(inner);
        return i == o
            || i.StartsWith(
                o.EndsWith(Path.DirectorySeparatorChar) ? o : o + Path.DirectorySeparatorChar,
                StringComparison.Ordinal
            );
    }

    private static string Resolve(string full, ref int links)
    {
        // Stryker disable once all : the root of a full path on Linux is "/", never null
        string root = Path.GetPathRoot(full) ?? "/";
        var parts = new Queue<string>(
            full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries)
        );
        string current = root;
        while (parts.TryDequeue(out string? part))
        {
            if (part == ".")
                continue;
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? root;
                continue;
            }
            string next = Path.Combine(current, part);
            string? target = LinkTarget(next);
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
                throw new FixtureException(full, $"more than {MaxLinks} symbolic links (a loop?)");
            // The link's target replaces it, relative to the folder holding the link; what follows stays to be
            // resolved.
            string rest = string.Join(Path.DirectorySeparatorChar, parts);
            // '..' in the target is resolved physically, after the links before it.
            return Resolve(
                // Stryker disable once Conditional : Path.Combine(current, target) is target when target is rooted
                Path.Combine(Path.IsPathRooted(target) ? target : Path.Combine(current, target), rest),
                ref links
            );
        }
        return current;
    }

    private static string? LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
