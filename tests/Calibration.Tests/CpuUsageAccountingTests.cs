using System.Globalization;
using System.Text.Json;
using Sim.Calibration.Profiling;

namespace Sim.Calibration.Tests;

/// <summary>
/// The profiler's CPU meter reading (profiler/cpu_usage.py) on fake /proc trees with known numbers,
/// like checking a building's meter sheet against flats whose consumption is known: per-group sums,
/// the job and its own session apart, processes born and gone within the window, and the busy time
/// of exited processes given to the groups that reaped them.
/// </summary>
public sealed class CpuUsageAccountingTests
{
    private const int Hz = 100;

    /// <summary>A fake /proc: ROOT/stat with the busy ticks (as user time) and ROOT/PID/{stat,autogroup}.</summary>
    private static void WriteProc(string root, long busyTicks, params (int Pid, string? Group, long Own, long Reaped)[] processes)
    {
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "stat"), $"cpu  {busyTicks} 0 0 777777 55 0 0 9 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n");
        foreach (var (pid, group, own, reaped) in processes)
        {
            string dir = Path.Combine(root, pid.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(dir);
            // comm may hold spaces and parentheses; utime/stime/cutime/cstime are fields 14-17
            long utime = own * 2 / 3, stime = own - utime, cutime = reaped / 2, cstime = reaped - cutime;
            File.WriteAllText(Path.Combine(dir, "stat"), $"{pid} (a (b) c) S 1 {pid} {pid} 0 -1 4194560 10 0 0 0 {utime} {stime} {cutime} {cstime} 20 0 1 0 5 0 0\n");
            File.WriteAllText(Path.Combine(dir, "autogroup"), group is null ? "" : $"{group} nice 0\n");
        }
    }

    private static JsonElement Usage(string before, string after, double seconds, int[] jobPids, string ownGroup, int cores)
    {
        var python = TorchEnvironment.Require().Interpreter;
        string folder = Path.GetDirectoryName(ProfilerScript.Path)!;
        string code = string.Join('\n',
            "import json, sys",
            $"sys.path.insert(0, {JsonSerializer.Serialize(folder)})",
            "import cpu_usage",
            $"b = cpu_usage.snapshot({JsonSerializer.Serialize(before)}, clock=lambda: 100.0)",
            $"a = cpu_usage.snapshot({JsonSerializer.Serialize(after)}, clock=lambda: 100.0 + {seconds.ToString("R", CultureInfo.InvariantCulture)})",
            $"print(json.dumps(cpu_usage.window_usage(b, a, {{{string.Join(", ", jobPids)}}}, {JsonSerializer.Serialize(ownGroup)}, {Hz}, {cores})))");
        var r = ProcessRunner.Run(python, ["-c", code], TimeSpan.FromSeconds(60));
        Assert.True(r.ExitCode == 0, r.StandardError);
        return JsonDocument.Parse(r.StandardOutput).RootElement.Clone();
    }

    private static double[] Background(JsonElement usage) => usage.GetProperty("background").EnumerateArray().Select(e => e.GetDouble()).ToArray();

    [TorchFact]
    public void GroupsJobSessionBornAndExitedProcesses_AreAccountedOverTheWindow()
    {
        using var dir = new TempDirectory();
        string before = dir.File("t0"), after = dir.File("t1");
        // Window 2 s at 100 ticks/s: 200 ticks are one core.
        WriteProc(before, 1500,
            (10, "/autogroup-5", 100, 0),   // the job's rank
            (11, "/autogroup-5", 50, 0),    // its launcher, same session
            (20, "/autogroup-7", 1000, 0),  // a build: reaps 40 ticks of compilers in the window
            (30, "/autogroup-9", 500, 0),
            (40, null, 5, 0),               // a kernel thread: no autogroup, competes on its own
            (50, "/autogroup-9", 300, 0));  // exits within the window
        WriteProc(after, 1500 + 150 + 10 + 120 + 40 + 4 + 20 + 60,
            (10, "/autogroup-5", 250, 0),
            (11, "/autogroup-5", 60, 0),
            (20, "/autogroup-7", 1120, 40),
            (30, "/autogroup-9", 540, 0),
            (40, null, 9, 0),
            (60, "/autogroup-9", 20, 0));   // born within the window: all its ticks count
        Directory.CreateDirectory(Path.Combine(after, "70"));  // a process that vanished while being read

        var usage = Usage(before, after, 2.0, [10], "/autogroup-5", cores: 2);

        Assert.Equal(2.0, usage.GetProperty("seconds").GetDouble(), 12);
        Assert.Equal(150 / 200.0, usage.GetProperty("job").GetDouble(), 12);
        Assert.Equal(10 / 200.0, usage.GetProperty("session").GetDouble(), 12);
        // autogroup-7: 120 own + the 40 reaped; autogroup-9: 40 + 20 born; the 20 busy ticks nobody
        // reaped: one more group; the kernel thread: 4 ticks.
        Assert.Equal(new[] { 160 / 200.0, 60 / 200.0, 20 / 200.0, 4 / 200.0 }, Background(usage), new ToleranceComparer(1e-12));
    }

    [TorchFact]
    public void ExitedBusyTime_IsSplitByReapedChildren_AtMostWhatWasReaped()
    {
        using var dir = new TempDirectory();
        string before = dir.File("t0"), after = dir.File("t1");
        WriteProc(before, 1000, (10, "/autogroup-1", 0, 0), (20, "/autogroup-2", 0, 0), (30, "/autogroup-3", 0, 100), (31, "/autogroup-1", 0, 0));
        // 20 busy ticks belong to no live process; groups 2 and 3 reaped 30 and 10 ticks (children that
        // partly ran before the window), the job's own session 0: 15 and 5 ticks.
        WriteProc(after, 1000 + 100 + 20, (10, "/autogroup-1", 100, 0), (20, "/autogroup-2", 0, 30), (30, "/autogroup-3", 0, 110), (31, "/autogroup-1", 0, 0));

        var usage = Usage(before, after, 1.0, [10], "/autogroup-1", cores: 2);

        Assert.Equal(1.0, usage.GetProperty("job").GetDouble(), 12);
        Assert.Equal(0.0, usage.GetProperty("session").GetDouble(), 12);
        Assert.Equal(new[] { 0.15, 0.05 }, Background(usage), new ToleranceComparer(1e-12));
    }

    [TorchFact]
    public void QuietMachine_HasNoBackground_AndAnEmptyWindowIsAnError()
    {
        using var dir = new TempDirectory();
        string before = dir.File("t0"), after = dir.File("t1");
        WriteProc(before, 500, (10, "/autogroup-1", 0, 0), (20, "/autogroup-2", 7, 0));
        // Busy ticks a little below the processes' (ticks are truncated per meter): nothing exited.
        WriteProc(after, 500 + 199, (10, "/autogroup-1", 200, 0), (20, "/autogroup-2", 8, 0));
        var usage = Usage(before, after, 2.0, [10], "/autogroup-1", cores: 2);
        Assert.Equal(1.0, usage.GetProperty("job").GetDouble(), 12);
        Assert.Empty(Background(usage)); // 1 tick in 2 s: under the 0.01-core floor

        var python = TorchEnvironment.Require().Interpreter;
        string folder = Path.GetDirectoryName(ProfilerScript.Path)!;
        var r = ProcessRunner.Run(python, ["-c", $"import sys; sys.path.insert(0, {JsonSerializer.Serialize(folder)}); import cpu_usage; " +
            $"s = cpu_usage.snapshot({JsonSerializer.Serialize(before)}, clock=lambda: 1.0); cpu_usage.window_usage(s, s, set(), '', 100, 2)"], TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("positive length", r.StandardError);
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
