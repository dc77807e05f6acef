namespace Sim.Cli.Commands;

/// <summary>A command-line value the user got wrong (an option out of range, an unknown name): bad input,
/// exit code 2. The message names the option and says what was expected.</summary>
public sealed class UsageException(string message) : Exception(message);
