namespace Sim.Cli.Tests.Hostile;

/// <summary>
/// Every case of <see cref="HostileCases"/> through the real `sim` command tree (in process, as the
/// other CLI tests do): exit code 2, the expected located message, no stack trace, no "internal
/// error", no change to a results folder that existed before, and no leftovers beside it. A case that
/// hangs (a FIFO read that blocks) fails after a minute instead of hanging the suite.
/// </summary>
public sealed class HostileInputTests
{
    public static TheoryData<string> Names => new(HostileCases.All.Keys);

    [Fact]
    public void There_are_enough_cases()
    {
        // Issue #14 lists ~30 cases and asks for at least 60 more.
        Assert.True(HostileCases.All.Count >= 90, $"only {HostileCases.All.Count} hostile cases");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Hostile_input_is_refused_with_a_located_message_and_changes_nothing(string name)
    {
        using var ws = new HostileWorkspace();
        ws.CreateOldResults();
        string before = HostileWorkspace.Fingerprint(ws.OldResults);
        var (code, output, error) = Invoke(HostileCases.All[name].Prepare(ws));

        Assert.True(code == 2, $"exit code {code}, expected 2\nstdout: {output}\nstderr: {error}");
        Assert.Matches(HostileCases.All[name].Expected, error);
        Assert.DoesNotContain("   at ", error + output);
        Assert.DoesNotContain("internal error", error);
        Assert.DoesNotContain("results:", output);
        Assert.Equal(before, HostileWorkspace.Fingerprint(ws.OldResults));
        Assert.Empty(ws.Leftovers());
    }

    /// <summary>Runs `sim` in this process with a time limit, so a blocking read fails the test.</summary>
    internal static (int Code, string Output, string Error) Invoke(string[] args)
    {
        var run = Task.Run(() => SimCommandLine.Invoke(args));
        if (!run.Wait(TimeSpan.FromSeconds(60)))
            throw new TimeoutException($"sim {string.Join(' ', args)} did not finish in 60 s (blocked or runaway)");
        return run.Result;
    }
}
