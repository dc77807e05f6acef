namespace Sim.Calibration.Profiling;

/// <summary>
/// The profiling tool chain is not installed here, like a workshop without the dynamometer: the
/// message says what was looked for and how to install it.
/// </summary>
public sealed class ProfilerUnavailableException(string message) : Exception(message);
