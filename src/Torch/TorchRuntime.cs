using System.Reflection;
using Sim.Torch.Build;
using TorchSharp;

namespace Sim.Torch;

/// <summary>
/// The one door to LibTorch. Call <see cref="EnsureAvailable"/> before the first <c>torch.*</c> call: it loads
/// the native libraries once, optionally fixes the intra-op thread count, and turns the loader's opaque
/// TypeInitializationException into a <see cref="TorchUnavailableException"/> that names the cause
/// (on Debian 12 most often an unpatched libLibTorchSharp.so: see docs/calibration.md).
/// </summary>
/// <remarks>Thread-safe. A failed load is remembered: later calls throw the same reason without retrying,
/// because the CLR never re-runs a failed static constructor.</remarks>
public static class TorchRuntime
{
    static readonly object Gate = new();
    static string? _failure;
    static bool _loaded;

    /// <summary>TorchSharp package version this build references (also the LibTorchSharp wrapper's).</summary>
    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>LibTorch version bundled by TorchSharp-cpu 0.107.0 (from the package's release notes: LibTorch 2.10.0).</summary>
    public const string LibTorchVersion = "2.10.0";

    /// <summary>Loads LibTorch (once) and, when <paramref name="threads"/> is given, sets torch's intra-op thread
    /// count to it (every call may change it). Throws <see cref="TorchUnavailableException"/> when torch cannot load;
    /// <see cref="ArgumentOutOfRangeException"/> when <paramref name="threads"/> is below 1.</summary>
    public static void EnsureAvailable(int? threads = null)
    {
        if (threads is < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "torch needs at least one thread");
        lock (Gate)
        {
            if (_failure is not null) throw new TorchUnavailableException(_failure);
            if (!_loaded)
            {
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                    _loaded = true;
                }
                catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException
                                              or InvalidOperationException or EntryPointNotFoundException or BadImageFormatException)
                {
                    _failure = Explain(e);
                    throw new TorchUnavailableException(_failure, e);
                }
            }
            if (threads is int n) torch.set_num_threads(n);
        }
    }

    /// <summary>Like <see cref="EnsureAvailable"/> but reports failure as a reason instead of throwing.</summary>
    public static bool TryEnsureAvailable(out string reason, int? threads = null)
    {
        try
        {
            EnsureAvailable(threads);
            reason = "";
            return true;
        }
        catch (TorchUnavailableException e)
        {
            reason = e.Message;
            return false;
        }
    }

    /// <summary>Where this process would load libLibTorchSharp.so from (the app folder's runtimes/ tree), or null.</summary>
    public static string? WrapperLibraryPath()
    {
        string baseDir = AppContext.BaseDirectory;
        foreach (string candidate in new[]
                 {
                     Path.Combine(baseDir, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"),
                     Path.Combine(baseDir, "libLibTorchSharp.so"),
                 })
            if (File.Exists(candidate)) return candidate;
        return null;
    }

    static string Explain(Exception e)
    {
        string detail = Innermost(e).Message;
        string start = $"TorchSharp {TorchSharpVersion} (LibTorch {LibTorchVersion}) cannot load: {detail}";
        if (!OperatingSystem.IsLinux()) return start;
        string? wrapper = WrapperLibraryPath();
        if (wrapper is null)
            return start + ". libLibTorchSharp.so is not in this program's folder: reference Sim.Torch from the project that runs torch and rebuild.";
        try
        {
            if (GlibcxxMarkerFix.SystemLibstdcxxHasMarkerVersion() == false &&
                GlibcxxMarkerFix.Inspect(wrapper) == GlibcxxMarkerState.StrictMarkerOnly)
                return start + $". {wrapper} still requires {GlibcxxMarkerFix.MarkerVersion}, which this system's libstdc++ lacks " +
                       "(Debian 12): rebuild with `dotnet build` so Directory.Build.targets marks it weak (docs/calibration.md).";
        }
        catch (Exception inspect) when (inspect is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return start + $". (Could not inspect {wrapper}: {inspect.Message}.)";
        }
        return start;
    }

    static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
