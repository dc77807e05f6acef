using Sim.Calibration.Profiling;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Validation;

/// <summary>
/// How fast this machine's cores run now against when the profile was measured: <see cref="Factor"/> = the speed
/// reference's CPU seconds per unit now / at profile time (medians over windows), so above 1 means slower now. The
/// machine's speed is an input of the prediction, measured like the other scheduling groups' load, not a knob: the
/// reference is a fixed benchmark of its own (no validated model's step), timed beside the validated runs, and the
/// factor never looks at the validation's errors. 1 (with <see cref="Reason"/> saying why) when either side has no
/// reference or the two timed different mixes. <see cref="WallFactor"/>, the same ratio in wall time, is reported beside it
/// and not applied: it also holds the share of a core the reference got, which the prediction models from the other
/// scheduling groups' measured load (docs/calibration.md, "The machine's speed as an input").
/// </summary>
public sealed record MachineSpeed(double Factor, double? ProfiledSeconds, double? NowSeconds, string Reason, double WallFactor = double.NaN)
{
    /// <summary>No adjustment: the profile's speed is taken as the machine's.</summary>
    public static MachineSpeed Unadjusted(string reason) => new(1, null, null, reason);

    public bool Adjusted => ProfiledSeconds is not null;

    public static MachineSpeed From(SpeedReferenceMeasurement? profiled, SpeedReferenceRun? now)
    {
        if (profiled is null)
            return Unadjusted("the measurements have no speed reference (sim-measurements before v10, or not measured on the CPU): factor 1, the profile's speed");
        if (profiled.Mix != SpeedReferenceMeasurement.CurrentMix)
            return Unadjusted($"the measurements' speed reference is another mix ('{profiled.Mix}', this build times '{SpeedReferenceMeasurement.CurrentMix}'): factor 1");
        if (now is null || now.Units.Count == 0)
            return Unadjusted("the speed reference was not timed beside the runs: factor 1");
        double before = profiled.MedianSeconds, after = now.MedianSeconds;
        double wallBefore = SpeedReferenceMeasurement.Median(profiled.WallWindowMedians), wallAfter = now.WallMedianSeconds;
        return new MachineSpeed(after / before, before, after,
            $"speed reference {after * 1e3:F3} ms per unit now (windows {now.WindowMedians.Min() * 1e3:F3}-{now.WindowMedians.Max() * 1e3:F3}) against " +
            $"{before * 1e3:F3} ms when profiled (windows {profiled.WindowMedians.Min() * 1e3:F3}-{profiled.WindowMedians.Max() * 1e3:F3}; medians over windows, process CPU); " +
            $"wall {wallAfter * 1e3:F3} against {wallBefore * 1e3:F3} ms, ratio {wallAfter / wallBefore:F3}, not applied", wallAfter / wallBefore);
    }
}
