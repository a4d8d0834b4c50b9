using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ConvParity.Tests;

/// <summary>
/// .npy and .npz bytes built in a test, as numpy's format (numpy/lib/format.py) lays them out: the magic string,
/// the version, the header length (2 bytes in version 1.0, 4 in 2.0 and 3.0), the header dict padded with spaces
/// and a newline to a multiple of 64 bytes, then the data. Nothing here checks what it writes: a test may build a
/// broken file on purpose.
/// </summary>
public static class NpyBytes
{
    /// <summary>An .npy header holding <paramref name="dict"/>, padded as numpy pads it.</summary>
    /// <param name="dict">The header's text (a Python dict literal, or anything a test wants to try).</param>
    /// <param name="major">The format version's major number (1, 2 or 3; anything else is written as given).</param>
    public static byte[] Header(string dict, int major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        string text = dict + new string(' ', 63 - (dict.Length + prefix) % 64) + "\n";
        return RawHeader(text, major, major == 3 ? Encoding.UTF8 : Encoding.Latin1);
    }

    /// <summary>An .npy header whose text is exactly <paramref name="text"/> (no padding), in
    /// <paramref name="encoding"/>.</summary>
    public static byte[] RawHeader(string text, int major, Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        byte[] body = encoding.GetBytes(text);
        byte[] length = major == 1 ? new byte[2] : new byte[4];
        if (major == 1)
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)body.Length);
        else
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)body.Length);
        return [0x93, .. "NUMPY"u8, (byte)major, 0, .. length, .. body];
    }

    /// <summary>The dict numpy writes for <paramref name="descr"/>, the order and <paramref name="shape"/> (Python
    /// tuple text).</summary>
    public static string Dict(string descr, bool fortran, string shape) =>
        $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";

    /// <summary>A whole .npy file: the header for <paramref name="descr"/>, the order and <paramref name="shape"/>,
    /// then <paramref name="data"/> as given.</summary>
    public static byte[] Array(string descr, bool fortran, string shape, byte[] data, int major = 1) =>
        [.. Header(Dict(descr, fortran, shape), major), .. data];

    /// <summary>A little-endian float32 .npy in C order.</summary>
    public static byte[] Floats(string shape, params float[] values) => Array("<f4", false, shape, Data(values));

    /// <summary>The bytes of <paramref name="values"/> as little-endian float32.</summary>
    public static byte[] Data(params float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var data = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);
        return data;
    }

    /// <summary>Writes a .npz (a zip) holding <paramref name="members"/> under their names as given.</summary>
    public static void WriteNpz(
        string path,
        IEnumerable<(string Name, byte[] Bytes)> members,
        CompressionLevel level = CompressionLevel.NoCompression
    )
    {
        ArgumentNullException.ThrowIfNull(members);
        using var archive = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        foreach (var (name, bytes) in members)
        {
            using var stream = archive.CreateEntry(name, level).Open();
            stream.Write(bytes);
        }
    }

    /// <summary>The bytes of a .npz holding <paramref name="members"/>.</summary>
    public static byte[] Npz(
        IEnumerable<(string Name, byte[] Bytes)> members,
        CompressionLevel level = CompressionLevel.NoCompression
    )
    {
        ArgumentNullException.ThrowIfNull(members);
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in members)
            {
                using var stream = archive.CreateEntry(name, level).Open();
                stream.Write(bytes);
            }
        return buffer.ToArray();
    }

    /// <summary>Where the end-of-central-directory record of <paramref name="zip"/> starts (the zip has no
    /// comment).</summary>
    public static int EndRecord(byte[] zip) => zip.Length - 22;

    /// <summary>
    /// Rewrites a zip (without a comment) in the zip64 layout: a zip64 end-of-central-directory record declaring
    /// <paramref name="declaredMembers"/> and its locator, before an end record whose member counts read 0xFFFF.
    /// </summary>
    public static byte[] AsZip64(byte[] zip, ulong declaredMembers)
    {
        ArgumentNullException.ThrowIfNull(zip);
        int end = EndRecord(zip);
        uint directorySize = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end + 12));
        uint directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(end + 16));
        var record = Zip64Record(declaredMembers, directorySize, directoryOffset);
        var locator = Zip64Locator((ulong)end);
        var endRecord = zip.AsSpan(end).ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(endRecord.AsSpan(8), 0xFFFF);
        BinaryPrimitives.WriteUInt16LittleEndian(endRecord.AsSpan(10), 0xFFFF);
        return [.. zip.AsSpan(0, end), .. record, .. locator, .. endRecord];
    }

    /// <summary>A zip64 end-of-central-directory record (56 bytes).</summary>
    public static byte[] Zip64Record(ulong members, ulong directorySize, ulong directoryOffset)
    {
        var record = new byte[56];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x06064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(4), 44);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(12), 45);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(14), 45);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(24), members);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(32), members);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(40), directorySize);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(48), directoryOffset);
        return record;
    }

    /// <summary>A zip64 end-of-central-directory locator (20 bytes) pointing at <paramref
    /// name="recordOffset"/>.</summary>
    public static byte[] Zip64Locator(ulong recordOffset)
    {
        var locator = new byte[20];
        BinaryPrimitives.WriteUInt32LittleEndian(locator, 0x07064b50);
        BinaryPrimitives.WriteUInt64LittleEndian(locator.AsSpan(8), recordOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(locator.AsSpan(16), 1);
        return locator;
    }

    /// <summary>An end-of-central-directory record (22 bytes, plus <paramref name="comment"/>) declaring
    /// <paramref name="members"/> and an empty central directory at <paramref name="directoryOffset"/>.</summary>
    public static byte[] EndOfDirectory(ushort members, uint directoryOffset, byte[]? comment = null)
    {
        comment ??= [];
        var record = new byte[22 + comment.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(record, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(8), members);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(10), members);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(16), directoryOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(20), (ushort)comment.Length);
        comment.CopyTo(record.AsSpan(22));
        return record;
    }

    /// <summary>
    /// Overwrites the uncompressed size a zip declares for <paramref name="member"/> (central directory and local
    /// header).
    /// </summary>
    public static void DeclareSize(byte[] zip, string member, uint size)
    {
        ArgumentNullException.ThrowIfNull(zip);
        var name = Encoding.ASCII.GetBytes(member);
        for (int at = 0; at + 46 < zip.Length; at++)
        {
            uint signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(at));
            var (nameAt, sizeAt) = signature switch
            {
                0x02014b50 => (46, 24),
                0x04034b50 => (30, 22),
                _ => (-1, -1),
            };
            if (nameAt >= 0 && zip.AsSpan(at + nameAt).StartsWith(name))
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(at + sizeAt), size);
        }
    }
}
