using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Sim.Core.Files;

/// <summary>
/// The one way Sim reads a file a user gave it (scenarios, sweeps, manifests, summaries to compare,
/// calibration inputs, device traces, sample files), like a mail room that X-rays every parcel:
/// <list type="bullet">
/// <item>only regular files are opened; a directory, FIFO, device or socket is refused by name,
/// and the check never blocks (a FIFO is opened non-blocking and inspected through its descriptor,
/// so swapping a FIFO in after the check does not hang the process either);</item>
/// <item>size caps are enforced on the bytes actually read, never on the reported size (which is 0
/// for /dev/zero and /proc files);</item>
/// <item>line readers cap every line, so a file without line breaks cannot fill memory.</item>
/// </list>
/// Every failure is an <see cref="InputFileException"/> naming the file (and line/column where it
/// applies); nothing else escapes except programming errors.
/// </summary>
public static partial class InputFile
{
    private const int O_RDONLY = 0, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000; // Linux generic values (x86-64 and arm64)
    private const int EINTR = 4;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>Opens a regular file for reading through a stream that refuses to deliver more than
    /// <paramref name="maxBytes"/> bytes.</summary>
    /// <exception cref="InputFileException">missing, not a regular file, unreadable, or (while
    /// reading) larger than the cap.</exception>
    public static Stream OpenRead(string path, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (path.Length == 0) throw new InputFileException("(empty path)", 1, 1, "expected a file name");
        FileKind kind;
        try { kind = FileKinds.OfPath(path); }
        catch (IOException e) { throw new InputFileException(path, 1, 1, e.Message); }
        if (kind == FileKind.Missing) throw new InputFileException(path, 1, 1, "file not found");
        if (kind != FileKind.Regular) throw new InputFileException(path, 1, 1, $"expected a regular file, got {FileKinds.Describe(kind)}");
        return new CappedReadStream(OpenRegular(path), maxBytes, path);
    }

    private static FileStream OpenRegular(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputFileException(path, 1, 1, "cannot open: " + e.Message); }
        }
        int fd;
        do fd = Open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        while (fd < 0 && Marshal.GetLastPInvokeError() == EINTR);
        if (fd < 0) throw new InputFileException(path, 1, 1, "cannot open: " + Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError()));
        try
        {
            // The path may have been swapped for a FIFO or device between the check and the open.
            var kind = FileKinds.OfDescriptor(fd, path);
            if (kind != FileKind.Regular) throw new InputFileException(path, 1, 1, $"expected a regular file, got {FileKinds.Describe(kind)}");
        }
        catch (Exception)
        {
            _ = Close(fd); // the descriptor is being abandoned; a failed close changes nothing
            throw;
        }
        // O_NONBLOCK has no effect on regular files, so the stream reads normally.
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1 << 16);
    }

    /// <summary>Reads a whole (small) text file, UTF-8 unless a byte-order mark says otherwise.</summary>
    public static string ReadAllText(string path, long maxBytes)
    {
        using var stream = OpenRead(path, maxBytes);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        try { return reader.ReadToEnd(); }
        catch (IOException e) when (e is not InputFileException) { throw new InputFileException(path, 1, 1, "cannot read: " + e.Message); }
    }

    /// <summary>Reads a whole (small) binary file.</summary>
    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        using var stream = OpenRead(path, maxBytes);
        using var buffer = new MemoryStream();
        try { stream.CopyTo(buffer); }
        catch (IOException e) when (e is not InputFileException) { throw new InputFileException(path, 1, 1, "cannot read: " + e.Message); }
        return buffer.ToArray();
    }

    /// <summary>Streams the lines of a text file, each with its 1-based number; a line longer than
    /// <paramref name="maxLineChars"/> or a NUL character (a binary file) is refused at its position.</summary>
    public static IEnumerable<(long Number, string Text)> ReadLines(string path, long maxBytes, int maxLineChars)
    {
        using var stream = OpenRead(path, maxBytes);
        var reader = new BoundedLineReader(new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true), maxLineChars, path);
        while (reader.ReadLine() is { } line) yield return (reader.LineNumber, line);
    }
}
