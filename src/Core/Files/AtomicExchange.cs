using System.Runtime.InteropServices;

namespace Sim.Core.Files;

/// <summary>
/// Swaps two paths in one step with Linux <c>renameat2(RENAME_EXCHANGE)</c>: no instant exists at
/// which either name is missing or half-swapped. Used to swap a finished results folder in for the
/// old one. Returns false where the kernel or file system cannot do it (other systems, some network
/// file systems); callers then fall back to two renames and their own recovery.
/// </summary>
public static partial class AtomicExchange
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int RenameAt2(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    /// <summary>Exchanges <paramref name="a"/> and <paramref name="b"/> (both must exist); false when not supported.</summary>
    /// <exception cref="IOException">the exchange is supported but failed (permissions, a full disk, ...).</exception>
    public static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        int rc;
        try { rc = RenameAt2(AtFdCwd, a, AtFdCwd, b, RenameExchange); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { return false; }
        if (rc == 0) return true;
        int errno = Marshal.GetLastPInvokeError();
        const int EINVAL = 22, ENOSYS = 38, EOPNOTSUPP = 95;
        if (errno is EINVAL or ENOSYS or EOPNOTSUPP) return false;
        throw new IOException($"{b}: cannot swap in the new results ({Marshal.GetPInvokeErrorMessage(errno)})");
    }
}
