namespace Sim.Calibration.Profiling;

/// <summary>
/// What to profile and where to put the results, like a work order for a test bench.
/// </summary>
public sealed record ProfileRequest(
    string Device,
    string OutputDirectory,
    int Threads = 1,
    string Grid = "short",
    int Repeats = 11,
    bool Collectives = true)
{
    public static readonly string[] Devices = ["cpu", "cuda"];
    public static readonly string[] Grids = ["short", "full"];

    /// <summary>Throws <see cref="ArgumentException"/> with a message naming the bad field.</summary>
    public void Validate()
    {
        if (Array.IndexOf(Devices, Device) < 0) throw new ArgumentException($"device: expected one of {string.Join(", ", Devices)}, got '{Device}'");
        if (Array.IndexOf(Grids, Grid) < 0) throw new ArgumentException($"grid: expected one of {string.Join(", ", Grids)}, got '{Grid}'");
        if (Threads < 0) throw new ArgumentException($"threads: expected 0 (library default) or a positive count, got {Threads}");
        if (Repeats < 3) throw new ArgumentException($"repeats: expected at least 3 for a median, got {Repeats}");
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("output directory: expected a path");
    }
}
