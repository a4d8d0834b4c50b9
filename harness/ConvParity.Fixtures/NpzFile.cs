using System.Buffers.Binary;
using System.IO.Compression;

namespace ConvParity.Fixtures;

/// <summary>
/// Reads the arrays of a .npz (numpy savez / savez_compressed) without trusting it: the member count,
/// each member's declared uncompressed size and each array's header are checked against the case cap
/// (<see cref="CaseLimits"/>) before anything is inflated or allocated, and no member is inflated past
/// its declared size.
/// </summary>
public static class NpzFile
{
    /// <summary>The most members a .npz may hold (a fixture case holds a handful).</summary>
    public const int MaxMembers = 4096;

    /// <summary>Reads the named arrays of <paramref name="path"/>, estimated at most <paramref name="maxCaseBytes"/> in
    /// all.</summary>
    /// <exception cref="FixtureException">
    /// The file is missing, a directory or unreadable; an array is missing, of a dtype that is not a real number,
    /// malformed, or the arrays are estimated above <paramref name="maxCaseBytes"/> (<see cref="CaseLimits"/>).
    /// </exception>
    public static IReadOnlyDictionary<string, FixtureArray> Read(
        string path,
        IEnumerable<string> names,
        long maxCaseBytes = CaseLimits.DefaultMaxCaseBytes
    )
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(names);
        return WithMembers(
            path,
            names,
            (members, wanted) =>
            {
                var headers = Headers(path, members, wanted, maxCaseBytes);
                var result = new Dictionary<string, FixtureArray>(StringComparer.Ordinal);
                foreach (var (name, header) in headers)
                {
                    var entry = members[name + ".npy"];
                    string what = $"{path} array '{name}'";
                    using var stream = new BoundedStream(entry.Open(), entry.Length, what);
                    NpyFormat.ReadHeader(stream, what); // the same bytes again: the data follows them
                    result[name] = NpyFormat.ReadData(stream, header, what);
                }
                return result;
            }
        );
    }

    /// <summary>
    /// The memory the named arrays would take while checked (<see cref="CaseLimits.BytesPerElement"/> per element),
    /// from
    /// their headers alone; null when the file cannot be read (<see cref="Read"/> then names the reason).
    /// </summary>
    public static long? EstimatedBytes(string path, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(names);
        try
        {
            return WithMembers(
                path,
                names,
                (members, wanted) => Headers(path, members, wanted, long.MaxValue).Values.Sum(h => h.Cost)
            );
        }
        // Stryker disable once Block : the method returns null (default) either way
        catch (Exception e) when (e is FixtureException or OverflowException)
        {
            return null;
        }
    }

    /// <summary>
    /// Opens the archive and hands its members (unique names, count checked) and the wanted array names to
    /// <paramref name="body"/>.
    /// </summary>
    private static T WithMembers<T>(
        string path,
        IEnumerable<string> names,
        Func<Dictionary<string, ZipArchiveEntry>, List<string>, T> body
    )
    {
        using var file = Open(path, ".npz");
        try
        {
            CheckMemberCount(file, path);
            using var archive = new ZipArchive(file, ZipArchiveMode.Read);
            var members = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in archive.Entries)
                if (!members.TryAdd(entry.FullName, entry))
                    throw new FixtureException(path, $"holds two members named '{entry.FullName}'");
            var wanted = names.Distinct().ToList();
            foreach (string name in wanted)
                if (!members.ContainsKey(name + ".npy"))
                {
                    string holds = string.Join(
                        ", ",
                        members.Keys.Where(k => k.EndsWith(".npy", StringComparison.Ordinal)).Select(k => k[..^4])
                    );
                    throw new FixtureException(path, $"missing array '{name}' (the file holds: {holds})");
                }
            return body(members, wanted);
        }
        catch (Exception e)
            when (e is IOException or InvalidDataException or NotSupportedException or UnauthorizedAccessException)
        {
            throw new FixtureException(path, $"not a readable .npz: {e.Message}");
        }
    }

    /// <summary>
    /// Every wanted array's header, checked against the cap as a whole and against its member's length, before any
    /// array is allocated: first the sizes the archive declares, then what the headers declare.
    /// </summary>
    private static Dictionary<string, NpyHeader> Headers(
        string path,
        Dictionary<string, ZipArchiveEntry> members,
        List<string> wanted,
        long maxCaseBytes
    )
    {
        // Any array takes at least as many bytes per element in memory as stored: the declared sizes bound the cost
        // from below.
        Int128 declared = wanted.Aggregate(Int128.Zero, (sum, n) => sum + members[n + ".npy"].Length);
        long allowance = wanted.Count * (long)(NpyFormat.MaxHeaderBytes + 16);
        if (declared > (Int128)maxCaseBytes + allowance)
            throw new FixtureException(
                path,
                CaseLimits.Exceeded("its arrays declare, uncompressed,", declared, maxCaseBytes)
            );

        var headers = new Dictionary<string, NpyHeader>(StringComparer.Ordinal);
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string name in wanted)
        {
            var entry = members[name + ".npy"];
            string what = $"{path} array '{name}'";
            using var stream = new BoundedStream(entry.Open(), entry.Length, what);
            var header = NpyFormat.ReadHeader(stream, what);
            (headers[name], held[name]) = (header, entry.Length - stream.Position);
        }
        Int128 cost = headers.Values.Aggregate(Int128.Zero, (sum, h) => sum + h.Cost);
        if (cost > maxCaseBytes)
            throw new FixtureException(
                path,
                string.Join(", ", headers.Select(h => $"'{h.Key}' {NpyFormat.Shape(h.Value.Shape)} {h.Value.DType}"))
                    + ": "
                    + CaseLimits.Exceeded("checking them takes an estimated", cost, maxCaseBytes)
            );
        foreach (var (name, header) in headers)
            if (held[name] < header.DataBytes)
                throw new FixtureException($"{path} array '{name}'", NpyFormat.Truncated(header, held[name]));
        return headers;
    }

    /// <summary>Opens a fixture file for reading; a missing file or a directory is named as such.</summary>
    /// <exception cref="FixtureException">Missing, a directory, or not readable.</exception>
    internal static FileStream Open(string path, string kind)
    {
        if (Directory.Exists(path))
            throw new FixtureException(path, $"is a directory, not a {kind} file");
        if (!File.Exists(path))
            throw new FixtureException(path, $"missing {kind} file");
        // A pipe or a device reports no length: refused here, before opening it could block or never end.
        long length = new FileInfo(path).Length,
            shortest = kind == ".npz" ? 22 : 10;
        if (length < shortest)
            throw new FixtureException(
                path,
                $"{length} bytes: too short for a {kind} file (or not a regular file: a pipe, a device)"
            );
        try
        {
            // Stryker disable once Bitwise : a buffer size of 0 only turns FileStream's buffering off
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FixtureException(path, $"cannot be opened: {e.Message}");
        }
    }

    /// <summary>
    /// Reads the member count from the end-of-central-directory record (zip64 too) and refuses an archive
    /// with more than <see cref="MaxMembers"/>, before the archive's directory is loaded into memory.
    /// </summary>
    private static void CheckMemberCount(FileStream file, string path)
    {
        const uint endSignature = 0x06054b50,
            locatorSignature = 0x07064b50,
            zip64Signature = 0x06064b50;
        int tail = (int)Math.Min(file.Length, 22 + 0xFFFF + 20);
        var bytes = new byte[tail];
        file.Seek(-tail, SeekOrigin.End);
        NpyFormat.ReadFully(file, bytes);
        int end = tail - 22;
        while (end >= 0 && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end)) != endSignature)
            end--;
        if (end < 0)
            throw new FixtureException(path, "not a readable .npz: no zip end-of-central-directory record");
        ulong members = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(end + 10));
        if (
            members == 0xFFFF
            && end >= 20
            && BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(end - 20)) == locatorSignature
        )
        {
            long at = (long)
                Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(end - 12)), (ulong)file.Length);
            var record = new byte[56];
            file.Seek(at, SeekOrigin.Begin);
            if (
                NpyFormat.ReadFully(file, record) < 56
                || BinaryPrimitives.ReadUInt32LittleEndian(record) != zip64Signature
            )
                throw new FixtureException(path, "not a readable .npz: a broken zip64 end-of-central-directory record");
            members = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
        }
        if (members > MaxMembers)
            throw new FixtureException(path, $"the archive declares {members} members; at most {MaxMembers} are read");
        // Stryker disable once Statement : ZipArchive seeks to the end records and to each entry itself
        file.Seek(0, SeekOrigin.Begin);
    }

    /// <summary>A member's inflating stream that refuses to yield more than the member's declared size.</summary>
    private sealed class BoundedStream(Stream inner, long limit, string what) : Stream
    {
        private long _read;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // Stryker disable once Arithmetic : a larger read past the limit ends in the same refusal (bounded by the
            // caller's buffer, at most 64 KiB, which is the reader's own)
            int n = inner.Read(buffer[..(int)Math.Min(buffer.Length, limit - _read + 1)]);
            _read += n;
            if (_read > limit)
                throw new FixtureException(what, $"the member inflates past its declared size of {limit} bytes");
            return n;
        }

        // Stryker disable all : never read: the stream is only read through Read(Span<byte>), never seeked or written
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;

        // Stryker restore all
        public override long Length => throw new NotSupportedException();
        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override void Flush() { }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // Stryker disable all : disposing the member's stream only frees it sooner; Stream.Dispose(bool) does nothing
        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
        // Stryker restore all
    }
}
