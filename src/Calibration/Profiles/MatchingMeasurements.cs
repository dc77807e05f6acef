using Sim.Calibration.Fitting;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiles;

/// <summary>
/// Finds measurements taken on this machine's hardware among candidate folders (each holding a
/// measurements.json), so that `sim validate ddp` never silently predicts with another CPU's numbers:
/// a folder matches when <see cref="HardwareIdentity.Differences"/> finds nothing and the measurements came
/// from the library the prediction is for (<see cref="HardwareIdentity.LibraryDifference"/>). Folders without a
/// readable measurements.json are skipped (their problems surface when someone names them explicitly).
/// </summary>
public static class MatchingMeasurements
{
    /// <summary>The first folder (in the order given, then by name within each root) whose measurements match
    /// <paramref name="here"/> and <paramref name="library"/>; null when none does.</summary>
    /// <param name="roots">Folders whose sub-folders are candidates (for example traces/ and results/calibration/).</param>
    public static string? Find(IEnumerable<string> roots, HardwareDescription here, string library)
    {
        foreach (string root in roots)
        {
            if (!Directory.Exists(root)) continue;
            foreach (string dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                string file = Path.Combine(dir, CalibrationFitter.MeasurementsFile);
                if (!File.Exists(file)) continue;
                MeasurementSet set;
                try { set = MeasurementSetReader.Read(file); }
                catch (TraceFormatException) { continue; }
                if (HardwareIdentity.Differences(set.Hardware, here).Count == 0 && HardwareIdentity.LibraryDifference(set.Hardware, library) is null)
                    return dir;
            }
        }
        return null;
    }
}
