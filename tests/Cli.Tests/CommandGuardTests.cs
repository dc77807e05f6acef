using Sim.Cli.Commands;

namespace Sim.Cli.Tests;

/// <summary>Failures in two kinds: the user's input (exit 2, its message) and sim's own bugs (exit 1, one
/// line that says so and where the details are), never a stack trace on the terminal.</summary>
public sealed class CommandGuardTests
{
    private static (int Code, string Error) Guard(Func<int> action)
    {
        var error = new StringWriter();
        int code = CommandGuard.Run(error, action);
        return (code, error.ToString());
    }

    [Fact]
    public void AnOptionValueTheUserGotWrongIsBadInput()
    {
        var (code, error) = Guard(() => throw new UsageException("--jobs: expected a whole number >= 1, got 0"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("error: --jobs: expected a whole number >= 1, got 0" + Environment.NewLine, error);
    }

    [Fact]
    public void AnArgumentExceptionFromInsideTheSimulatorIsABugNotBadInput()
    {
        var (code, error) = Guard(() => throw new ArgumentException("the gradient sync spans 4 workers but training.workers is 8"));
        Assert.Equal(ExitCodes.Failure, code);
        var lines = error.TrimEnd().Split('\n');
        var line = Assert.Single(lines);
        Assert.StartsWith("internal error (a bug in sim, please report it): ArgumentException: the gradient sync spans 4 workers", line);
        Assert.DoesNotContain("   at ", error);
        string log = line[(line.IndexOf("details in ", StringComparison.Ordinal) + "details in ".Length)..].Trim();
        try
        {
            string details = File.ReadAllText(log);
            Assert.Contains("the gradient sync spans 4 workers", details);
            Assert.Contains("at Sim.Cli.Tests.CommandGuardTests", details); // the stack is in the log
        }
        finally { File.Delete(log); }
    }

    [Fact]
    public void AFileTheUserNamedThatIsMissingIsBadInput()
    {
        var (code, error) = Guard(() => throw new FileNotFoundException("scenario.yaml: no such file"));
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("scenario.yaml: no such file", error);
    }

    [Fact]
    public void ADiskThatRefusesAWriteIsAFailureButNotABug()
    {
        var (code, error) = Guard(() => throw new IOException("No space left on device"));
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal("error: No space left on device" + Environment.NewLine, error);
    }
}
