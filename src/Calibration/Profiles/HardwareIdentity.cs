using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiles;

/// <summary>
/// This machine's identity as profiles record it (CPU model from /proc/cpuinfo, logical CPU count), and
/// the comparison that keeps a profile measured on one machine from silently standing in for another:
/// <see cref="Differences"/> lists what differs, in words, so that callers can warn or refuse with the reason.
/// Machines of one cloud "kind" may carry different CPUs (an AMD EPYC on one, an Intel Xeon on the next), and
/// kernel speeds differ between them by tens of percent, so the CPU model is the key that matters.
/// </summary>
public static class HardwareIdentity
{
    /// <summary>The CPU model string ("model name" in /proc/cpuinfo, as the Python profiler records it), or
    /// the processor architecture where /proc/cpuinfo is absent or unreadable.</summary>
    public static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                foreach (string line in File.ReadLines("/proc/cpuinfo"))
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':') is int colon and > 0)
                        return line[(colon + 1)..].Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>Logical CPUs as Python's os.cpu_count() counts them (every one the kernel lists), so both profilers agree.</summary>
    public static int LogicalCpus()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                int n = File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal));
                if (n > 0) return n;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return Environment.ProcessorCount;
    }

    /// <summary>This machine for a CPU profile driven by <paramref name="library"/> with <paramref name="threads"/> torch threads.</summary>
    public static HardwareDescription ThisCpu(int threads, string torchVersion, string library) =>
        new("cpu", CpuModel(), LogicalCpus(), threads, torchVersion, null, library);

    /// <summary>What makes a profile measured on <paramref name="profile"/> unfit for <paramref name="here"/>:
    /// device, CPU model and logical CPU count (empty when they match). Thread counts and library versions
    /// are the caller's business (see <see cref="LibraryDifference"/>).</summary>
    public static IReadOnlyList<string> Differences(HardwareDescription profile, HardwareDescription here)
    {
        var differences = new List<string>();
        if (profile.Device != here.Device) differences.Add($"device {profile.Device} in the profile, {here.Device} here");
        if (!string.Equals(Normalize(profile.CpuModel), Normalize(here.CpuModel), StringComparison.OrdinalIgnoreCase))
            differences.Add($"CPU '{profile.CpuModel}' in the profile, '{here.CpuModel}' here");
        if (profile.Cores != here.Cores) differences.Add($"{profile.Cores} logical CPUs in the profile, {here.Cores} here");
        return differences;
    }

    /// <summary>A reason when the profile was measured through another library than <paramref name="library"/>
    /// ("pytorch" or "torchsharp"): the same kernel costs differ between LibTorch builds (BLAS, dispatch).</summary>
    public static string? LibraryDifference(HardwareDescription profile, string library)
    {
        string? recorded = profile.Library?.Split(' ', 2)[0];
        if (recorded is null) return library == "pytorch" ? null : $"the profile does not record its library (older profiles are PyTorch), the prediction is for {library}";
        return string.Equals(recorded, library, StringComparison.OrdinalIgnoreCase) ? null : $"the profile was measured with {profile.Library}, the prediction is for {library}";
    }

    /// <summary>A folder name for this CPU under traces/: "cpu-" and the model in lower case, non-alphanumerics as '-'
    /// (for example "cpu-intel-r-xeon-r-cpu-2-80ghz").</summary>
    public static string Slug(string cpuModel)
    {
        var chars = cpuModel.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        string slug = string.Join('-', new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return "cpu-" + (slug.Length == 0 ? "unknown" : slug);
    }

    private static string Normalize(string model) => string.Join(' ', model.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
