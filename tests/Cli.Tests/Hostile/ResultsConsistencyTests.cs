using System.Diagnostics;
using Sim.Reports;

namespace Sim.Cli.Tests.Hostile;

/// <summary>
/// Results folders are always whole: a `sim run` killed with SIGKILL at random moments, or one that
/// fills the disk, leaves the folder with the whole old run or the whole new one, never a mix; files
/// of an older run never survive into a newer one; and leftovers of killed runs are cleaned by the
/// next run.
/// </summary>
public sealed class ResultsConsistencyTests(Xunit.Abstractions.ITestOutputHelper log)
{
    private static readonly string Sim = Path.Combine(AppContext.BaseDirectory, "sim");

    private static string Scenario(int iterations, bool timeline = true, bool report = true) =>
        HostileCases.Base
            .Replace("iterations: 3", $"iterations: {iterations}")
            .Replace("outputs: {timeline: false, report: false}", $"outputs: {{timeline: {(timeline ? "true" : "false")}, report: {(report ? "true" : "false")}}}");

    private static readonly string[] WholeRunFiles = ["breakdown.csv", "iterations.csv", "report.html", "summary.json", "timeline.json"];

    /// <summary>A complete run of <paramref name="iterations"/> iterations (one replication): every file,
    /// a readable summary, and one iterations.csv row per iteration.</summary>
    private static bool IsWholeRun(string folder, int iterations)
    {
        if (!Directory.Exists(folder)) return false;
        var files = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        if (!files.SequenceEqual(WholeRunFiles)) return false;
        SummaryJsonReader.Read(folder);
        return File.ReadLines(Path.Combine(folder, "iterations.csv")).Count() == iterations + 1;
    }

    private static int RunToEnd(params string[] args)
    {
        using var child = new ChildProcess([Sim], args);
        return child.WaitForExit(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public void A_run_killed_at_random_moments_leaves_the_old_run_or_the_new_one_whole()
    {
        using var ws = new HostileWorkspace();
        string target = ws.Path_("res");
        const int oldIterations = 4000, newIterations = 9000;
        var clock = Stopwatch.StartNew();
        Assert.Equal(0, RunToEnd("run", ws.Write("old.yaml", Scenario(oldIterations)), "--out", target, "--quiet"));
        double fullRun = clock.Elapsed.TotalSeconds;
        Assert.True(IsWholeRun(target, oldIterations));
        string old = HostileWorkspace.Fingerprint(target);
        string next = ws.Write("new.yaml", Scenario(newIterations));

        var random = new Random(14);
        int sawOld = 0, sawNew = 0;
        for (int attempt = 0; attempt < 6; attempt++)
        {
            using (var child = new ChildProcess([Sim], "run", next, "--out", target, "--quiet"))
            {
                Thread.Sleep(TimeSpan.FromSeconds(random.NextDouble() * fullRun * 1.3));
                if (!child.HasExited) child.Kill(); // SIGKILL
            }
            if (HostileWorkspace.Fingerprint(target) == old) sawOld++;
            else { Assert.True(IsWholeRun(target, newIterations), $"attempt {attempt}: the folder is neither the old run nor a whole new one:\n{HostileWorkspace.Fingerprint(target)}"); sawNew++; }
        }
        Assert.Equal(6, sawOld + sawNew);
        log.WriteLine($"full run {fullRun:F1} s; after SIGKILL the folder held the old run {sawOld} times, the new run {sawNew} times");

        // The next complete run cleans what the killed ones left beside the folder.
        Assert.Equal(0, RunToEnd("run", next, "--out", target, "--quiet"));
        Assert.True(IsWholeRun(target, newIterations));
        Assert.Empty(ws.Leftovers());
    }

    [Fact]
    public void Files_of_an_older_run_never_survive_and_leftovers_are_cleaned()
    {
        using var ws = new HostileWorkspace();
        string target = ws.Path_("res");
        var (code, _, error) = HostileInputTests.Invoke(["run", ws.Write("a.yaml", Scenario(5, timeline: true, report: false)), "--out", target, "--quiet"]);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(target, "timeline.json")));

        // What killed writers leave: a staging folder of a dead process, a retired old run.
        Directory.CreateDirectory(ws.Path_(".res.sim-999999999-0123.staging"));
        File.WriteAllText(ws.Path_(".res.sim-999999999-0123.staging/.summary.json.x.partial"), new string('x', 1000));
        Directory.CreateDirectory(ws.Path_(".res.sim-999999998-0456.retired"));

        (code, _, error) = HostileInputTests.Invoke(["run", ws.Write("b.yaml", Scenario(7, timeline: false, report: false)), "--out", target, "--quiet"]);
        Assert.True(code == 0, error);
        Assert.False(File.Exists(Path.Combine(target, "timeline.json")), "a timeline.json of the older run survived a run with timeline: false");
        Assert.Equal(8, File.ReadLines(Path.Combine(target, "iterations.csv")).Count());
        Assert.Empty(ws.Leftovers());
    }

    [TmpfsFact]
    public void A_full_disk_leaves_the_old_run_whole()
    {
        using var disk = SmallTmpfs.Mount(kilobytes: 1024);
        string target = Path.Combine(disk.Path, "res");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "summary.json"), "{\"format\": \"old run\"}");
        File.WriteAllText(Path.Combine(target, "iterations.csv"), "replication,iteration,seconds\n0,0,1\n");
        string old = HostileWorkspace.Fingerprint(target);
        using var ws = new HostileWorkspace();

        // report.html alone is several MB: the 1 MiB disk fills while the new run is written.
        var (code, output, error) = HostileInputTests.Invoke(["run", ws.Write("h.yaml", Scenario(50, timeline: true, report: true)), "--out", target, "--quiet"]);
        Assert.True(code == 1, $"exit {code}: {error}");
        Assert.Contains($"{target}: cannot write the results", error);
        Assert.Contains("left as it was", error);
        Assert.DoesNotContain("   at ", error + output);
        Assert.Equal(old, HostileWorkspace.Fingerprint(target));
        Assert.Equal(["res"], Directory.EnumerateFileSystemEntries(disk.Path).Select(p => Path.GetFileName(p)!).ToArray());
    }
}
