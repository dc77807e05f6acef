using System.Runtime.InteropServices;

namespace Sim.Core.Files;

/// <summary>What a path names, as the kernel sees it (the S_IFMT bits of its mode).</summary>
public enum FileKind { Missing, Regular, Directory, Fifo, CharacterDevice, BlockDevice, Socket, Other }

/// <summary>
/// Asks the kernel what kind of file a path or an open descriptor is, without opening it for
/// reading (opening a FIFO blocks until a writer appears). .NET exposes only "directory or not",
/// so this calls Linux <c>statx(2)</c>, whose result layout is the same on every architecture.
/// Elsewhere it falls back to what <see cref="FileInfo"/> can tell (regular or directory).
/// </summary>
internal static partial class FileKinds
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxType = 0x1; // STATX_TYPE
    private const int ModeOffset = 28;  // offset of stx_mode (u16) in struct statx
    private const int StatxBytes = 256;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);

    public static FileKind OfPath(string path)
    {
        if (!OperatingSystem.IsLinux()) return Fallback(path);
        return Query(AtFdCwd, path, 0, path);
    }

    /// <summary>The kind of an open descriptor (fstat through statx with AT_EMPTY_PATH).</summary>
    public static FileKind OfDescriptor(int fd, string pathForFallback) =>
        OperatingSystem.IsLinux() ? Query(fd, "", AtEmptyPath, pathForFallback) : Fallback(pathForFallback);

    private static unsafe FileKind Query(int dirFd, string path, int flags, string fallbackPath)
    {
        byte* buffer = stackalloc byte[StatxBytes];
        int rc;
        try { rc = Statx(dirFd, path, flags, StatxType, buffer); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return Fallback(fallbackPath); }
        if (rc != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            const int ENOENT = 2, ENOTDIR = 20, ENOSYS = 38;
            if (errno is ENOENT or ENOTDIR) return FileKind.Missing;
            if (errno == ENOSYS) return Fallback(fallbackPath);
            throw new IOException($"cannot inspect the file: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        int mode = buffer[ModeOffset] | (buffer[ModeOffset + 1] << 8);
        return (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
    }

    private static FileKind Fallback(string path) =>
        Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;

    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "a directory",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Missing => "missing",
        _ => "not a regular file",
    };
}
