namespace Sim.Calibration.Profiling;

/// <summary>
/// Where the shipped profiler script (profiler/sim_profile.py) lies: next to the assembly, the
/// way a tool kit travels in the boot of the car that needs it.
/// </summary>
public static class ProfilerScript
{
    public static string Path
    {
        get
        {
            string path = System.IO.Path.Combine(AppContext.BaseDirectory, "profiler", "sim_profile.py");
            if (!File.Exists(path))
                throw new ProfilerUnavailableException($"the profiler script is missing: expected it at {path} (it is copied there by the build of Sim.Calibration)");
            return path;
        }
    }
}
