namespace Sim.Cli.Commands;

/// <summary>
/// The process exit codes of <c>sim</c>, like the status lights on a machine: scripts and Slurm read
/// them. 2 always means "your input is wrong" (a file, a key, an argument), never a crash.
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
}
