using System.Diagnostics;

namespace Sim.Cli.Tests.Hostile;

/// <summary>
/// A tiny tmpfs mounted on a fresh folder, to make a disk that fills up. Needs root (CAP_SYS_ADMIN):
/// tests using it are skipped with the reason where mounting is impossible, except under CI=true,
/// where they run and fail with it.
/// </summary>
public sealed class SmallTmpfs : IDisposable
{
    public string Path { get; }

    private SmallTmpfs(string path) => Path = path;

    /// <summary>Mounts a tmpfs of <paramref name="kilobytes"/> KiB; throws with mount's message when it cannot.</summary>
    public static SmallTmpfs Mount(int kilobytes)
    {
        string dir = Directory.CreateTempSubdirectory("sim-tmpfs-").FullName;
        var (code, output) = Run("mount", "-t", "tmpfs", "-o", $"size={kilobytes}k", "tmpfs", dir);
        if (code != 0)
        {
            Directory.Delete(dir);
            throw new InvalidOperationException($"mount -t tmpfs failed ({code}): {output.Trim()}");
        }
        return new SmallTmpfs(dir);
    }

    /// <summary>Why a tmpfs cannot be mounted here, or null when it can (tried once per process).</summary>
    public static string? WhyUnavailable => Probe.Value;

    private static readonly Lazy<string?> Probe = new(() =>
    {
        try { using var probe = Mount(64); return null; }
        catch (Exception e) { return e.Message; }
    });

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, e.Message); }
    }

    public void Dispose()
    {
        Run("umount", Path);
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>A test that needs <see cref="SmallTmpfs"/>: skipped with the reason outside CI when
/// mounting is impossible, run (and failing) under CI=true.</summary>
public sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        bool ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!ci && SmallTmpfs.WhyUnavailable is { } why)
            Skip = $"cannot mount a small tmpfs to fill ({why}); needs root. Under CI=true this test fails instead.";
    }
}
