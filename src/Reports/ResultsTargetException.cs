namespace Sim.Reports;

/// <summary>
/// A results folder that cannot be used as asked: an existing file in its place, a folder of the
/// user's that is not a results folder, the file-system root, or a parent where nothing can be
/// created (/sys, /proc, a read-only mount). The user's choice of --out is wrong, so commands report
/// it as bad input (exit 2); the message names the path. A write that fails midway for other reasons
/// (a full disk) is a plain <see cref="IOException"/>.
/// </summary>
public sealed class ResultsTargetException(string message, Exception? inner = null) : IOException(message, inner);
