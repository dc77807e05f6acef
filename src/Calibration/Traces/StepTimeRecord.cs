// One measured training iteration, like one lap time on a stopwatch sheet, with (when recorded)
// the weather during the lap: the CPU the machine's other processes used per scheduling group, in
// cores, and the cores the run itself used.
namespace Sim.Calibration.Traces;

/// <param name="BackgroundCores">Other scheduling groups, cores each (sim-steplog v2: demand measured around
/// the run; v3: used during the measured window).</param>
/// <param name="BackgroundDuringRun">True when <paramref name="BackgroundCores"/> was measured during the run (v3).</param>
/// <param name="JobCores">Cores the run's own processes used over the measured window (v3).</param>
/// <param name="SessionCores">Cores the rest of the run's own scheduling group used (its launcher; v3).</param>
/// <param name="WindowSeconds">Length of the measured window (v3).</param>
/// <param name="StepCpuSeconds">CPU seconds all ranks' processes spent per measured step, mean over the steps (v3).</param>
/// <param name="Window">The measurement window the step belongs to (v4: a configuration measured in several short windows
/// taken round-robin with other configurations); the v3 keys then describe all the configuration's windows together.</param>
public sealed record StepTimeRecord(int Iteration, double Seconds, string? Model, int? Batch, int? Rank, int? WorldSize,
    IReadOnlyList<double>? BackgroundCores = null, bool BackgroundDuringRun = false,
    double? JobCores = null, double? SessionCores = null, double? WindowSeconds = null, double? StepCpuSeconds = null, int? Window = null);
