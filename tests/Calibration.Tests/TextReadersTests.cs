using Sim.Calibration.Fitting;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// nccl-tests tables and sim-steplog files: real outputs read correctly, broken ones rejected
/// with the file and line named.
/// </summary>
public sealed class TextReadersTests
{
    [Fact]
    public void NcclTests_HandMadeAllReduceTable_ReadsRowsRanksAndCollective()
    {
        var rows = NcclTestsReader.Read(RepositoryPaths.Fixture("nccl_all_reduce_hand_made.txt"));
        Assert.Equal(13, rows.Count); // 8 B .. 128 MiB by x4
        Assert.All(rows, r => Assert.Equal("all_reduce", r.Collective));
        Assert.All(rows, r => Assert.Equal(4, r.WorldSize));
        Assert.Equal(8, rows[0].Bytes);
        Assert.Equal(134217728, rows[^1].Bytes);
        Assert.Equal(60.00e-6, rows[0].Seconds, 12);
    }

    [Fact]
    public void NcclTests_FittedLink_RecoversTheAlphaBetaTheTableWasMadeFrom()
    {
        // The fixture was generated with alpha = 10 us and beta = 1 / (20 GB/s) per link (ring, 4 ranks).
        var rows = NcclTestsReader.Read(RepositoryPaths.Fixture("nccl_all_reduce_hand_made.txt"));
        var link = CalibrationFitter.FitLink("nccl", "all_reduce", 4, rows);
        Assert.Equal(10e-6, link.Cost.AlphaSeconds, 1e-8);
        Assert.Equal(20e9, link.Cost.BandwidthBytesPerSecond, 20e9 * 1e-3);
        Assert.True(link.MedianRelativeError < 1e-3);
    }

    [Fact]
    public void NcclTests_OlderLayoutWithoutRootColumn_ReadsByHeader()
    {
        // nccl-tests before 2.10 printed no "root" column and called the last one "error".
        using var dir = new TempDirectory();
        string path = dir.File("all_gather_perf.nccl.txt");
        File.WriteAllText(path, """
            # nThread 1 nGpus 2 minBytes 1024 maxBytes 4096 step: 2(factor) warmup iters: 5 iters: 20 validation: 1
            #   Rank  0 Pid  10 on host device  0 [0x1a] Tesla V100-SXM2-16GB
            #   Rank  1 Pid  10 on host device  1 [0x1b] Tesla V100-SXM2-16GB
            #
            #                                                     out-of-place                       in-place
            #       size         count    type   redop     time   algbw   busbw  error     time   algbw   busbw  error
            #        (B)    (elements)                     (us)  (GB/s)  (GB/s)            (us)  (GB/s)  (GB/s)
                    1024           128   float    none    12.50    0.08    0.04  0e+00    12.10    0.08    0.04  0e+00
                    2048           256   float    none    13.00    0.16    0.08  0e+00    12.90    0.16    0.08  0e+00
                    4096           512   float    none    14.00    0.29    0.15  0e+00    13.80    0.30    0.15  0e+00
            # Out of bounds values : 0 OK
            # Avg bus bandwidth    : 0.0893
            """);
        var rows = NcclTestsReader.Read(path);
        Assert.Equal([1024L, 2048L, 4096L], rows.Select(r => r.Bytes));
        Assert.Equal([12.5e-6, 13.0e-6, 14.0e-6], rows.Select(r => r.Seconds));
        Assert.All(rows, r => Assert.Equal(("all_gather", 2), (r.Collective, r.WorldSize)));
    }

    [Fact]
    public void NcclTests_ColumnCountMismatch_NamesTheLine()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadAllLines(RepositoryPaths.Fixture("nccl_all_reduce_hand_made.txt")).ToList();
        int row = lines.FindIndex(l => l.TrimStart().StartsWith("2048 ", StringComparison.Ordinal));
        lines[row] = "        2048           512     float     sum      -1    60.15";
        string path = dir.File("broken.nccl.txt");
        File.WriteAllLines(path, lines);
        var ex = Assert.Throws<TraceFormatException>(() => NcclTestsReader.Read(path));
        Assert.Contains($"line {row + 1}", ex.Message);
        Assert.Contains("columns", ex.Message);
    }

    [Theory]
    [InlineData("no table here\n", "no nccl-tests header")]
    [InlineData("#  Rank  0 Group  0 Pid  1 on n device 0\n#  size  count  type  redop  root  time  algbw  busbw  #wrong\n   8  2  float  sum  -1  abc  0.0  0.0  0\n", "column 'time'")]
    [InlineData("#  size  count  type  redop  root  time  algbw  busbw  #wrong\n   8  2  float  sum  -1  5.0  0.0  0.0  0\n", "number of ranks")]
    public void NcclTests_BadFiles_Fail(string text, string expected)
    {
        using var dir = new TempDirectory();
        string path = dir.File("x.nccl.txt");
        File.WriteAllText(path, text);
        var ex = Assert.Throws<TraceFormatException>(() => NcclTestsReader.Read(path));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("x.nccl.txt", ex.Message);
    }

    [Fact]
    public void StepLog_CommittedLogs_ReadWithModelAndBatch()
    {
        var records = StepTimeLogReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "steps-mlp.log"));
        Assert.True(records.Count >= 8 * 7);
        Assert.All(records, r => Assert.Equal("mlp", r.Model));
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128], records.Select(r => r.Batch!.Value).Distinct().Order().ToArray());
        Assert.All(records, r => Assert.True(r.Seconds > 0));
    }

    [Theory]
    [InlineData("iter=0 seconds=1\n", "line 1", "header")]
    [InlineData("# sim-steplog v1\niter=0 seconds=0.5\niter=1\n", "line 3", "missing key 'seconds'")]
    [InlineData("# sim-steplog v1\niter=0 seconds=-2\n", "line 2", "positive number")]
    [InlineData("# sim-steplog v1\niter=0 seconds=1 speed=3\n", "line 2", "unknown key 'speed'")]
    [InlineData("# sim-steplog v1\niter=x seconds=1\n", "line 2", "key 'iter'")]
    [InlineData("# sim-steplog v1\niter=0 seconds\n", "line 2", "expected key=value")]
    [InlineData("# sim-steplog v1\niter=0 seconds=1 background=0.5\n", "line 2", "background needs the v2 header")]
    [InlineData("# sim-steplog v2\niter=0 seconds=1 background=0.5+-1\n", "line 2", "key 'background'")]
    [InlineData("# sim-steplog v2\niter=0 seconds=1 background=lots\n", "line 2", "key 'background'")]
    [InlineData("# sim-steplog v2\niter=0 seconds=1 job_cores=0.5\n", "line 2", "need the v3 header")]
    [InlineData("# sim-steplog v3\niter=0 seconds=1 job_cores=-0.5\n", "line 2", "key 'job_cores': expected a non-negative number")]
    [InlineData("# sim-steplog v3\niter=0 seconds=1 window_s=0\n", "line 2", "key 'window_s': expected a positive number")]
    [InlineData("# sim-steplog v3\niter=0 seconds=1 session_cores=NaN\n", "line 2", "key 'session_cores'")]
    [InlineData("# sim-steplog v3\niter=0 seconds=1 window=2\n", "line 2", "window needs the v4 header")]
    [InlineData("# sim-steplog v4\niter=0 seconds=1 window=-1\n", "line 2", "key 'window'")]
    [InlineData("# sim-steplog v5\niter=0 seconds=1\n", "line 1", "header")]
    public void StepLog_BadLines_NameTheLine(string text, string line, string what)
    {
        var ex = Assert.Throws<TraceFormatException>(() => StepTimeLogReader.Parse(new StringReader(text), "run.log"));
        Assert.Contains("run.log", ex.Message);
        Assert.Contains(line, ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void StepLog_V2_ReadsBackgroundLoadPerGroup()
    {
        var records = StepTimeLogReader.Parse(new StringReader(
            "# sim-steplog v2\niter=0 seconds=0.002 world=2 background=0.98+0.125\niter=1 seconds=0.003 background=0\niter=2 seconds=0.004\n"), "run.log");
        Assert.Equal([0.98, 0.125], records[0].BackgroundCores);
        Assert.Empty(records[1].BackgroundCores!);
        Assert.Null(records[2].BackgroundCores);
        Assert.All(records, r => Assert.False(r.BackgroundDuringRun)); // v2: demand measured around the run
        // v1 logs still read (no background).
        Assert.Null(StepTimeLogReader.Parse(new StringReader("# sim-steplog v1\niter=0 seconds=1\n"), "old.log")[0].BackgroundCores);
    }

    [Fact]
    public void StepLog_V3_ReadsTheCoresEveryGroupUsedDuringTheWindow()
    {
        var records = StepTimeLogReader.Parse(new StringReader(
            "# sim-steplog v3\n# written by sim_profile.py ddp\n" +
            "iter=0 seconds=0.002 world=2 background=0.98+0.125 job_cores=0.75 session_cores=0 window_s=1.004 step_cpu_s=0.0031\n" +
            "iter=1 seconds=0.003 background=0 job_cores=1.5\niter=2 seconds=0.004\n"), "run.log");
        Assert.Equal([0.98, 0.125], records[0].BackgroundCores);
        Assert.Equal((0.75, 0.0, 1.004), (records[0].JobCores!.Value, records[0].SessionCores!.Value, records[0].WindowSeconds!.Value));
        Assert.Equal(0.0031, records[0].StepCpuSeconds);
        Assert.True(records[0].BackgroundDuringRun);
        Assert.Empty(records[1].BackgroundCores!);
        Assert.True(records[1].BackgroundDuringRun);
        Assert.Equal(1.5, records[1].JobCores);
        Assert.Null(records[1].WindowSeconds);
        // A line without background says nothing about it.
        Assert.Equal((false, (double?)null), (records[2].BackgroundDuringRun, records[2].JobCores));
    }

    [Fact]
    public void StepLog_V4_ReadsEachStepsWindow_AndARunIsTheMedianOfItsWindowsMedians()
    {
        // Three windows: medians 1, 10 (a burst of other load) and 2 ms; the pooled median (6 ms, between the 4th and
        // 5th of eight steps) is pulled into the burst by its many slow steps, the median over windows is 2 ms.
        var records = StepTimeLogReader.Parse(new StringReader(
            "# sim-steplog v4\n" +
            "iter=0 window=0 seconds=0.001\niter=1 window=0 seconds=0.0009\niter=2 window=0 seconds=0.0011\n" +
            "iter=3 window=1 seconds=0.010\niter=4 window=1 seconds=0.010\niter=5 window=1 seconds=0.010\niter=6 window=1 seconds=0.010\n" +
            "iter=7 window=2 seconds=0.002\n"), "rounds.log");
        Assert.Equal([0, 0, 0, 1, 1, 1, 1, 2], records.Select(r => r.Window!.Value));
        var run = new Sim.Calibration.Profiling.MeasuredRun("mlp", 8, 1, records);
        Assert.Equal([0.001, 0.010, 0.002], run.WindowMedians);
        Assert.Equal(0.002, run.MedianSeconds);
        // Without windows (v3 and older) a run is its median step.
        var plain = new Sim.Calibration.Profiling.MeasuredRun("mlp", 8, 1, records.Select(r => r with { Window = null }).ToList());
        Assert.Single(plain.WindowMedians);
        Assert.Equal(0.006, plain.MedianSeconds, 12);
    }

    [Fact]
    public void StepLog_OverlongLine_IsRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.File("long.log");
        File.WriteAllText(path, "# sim-steplog v1\n" + new string('a', 200_000));
        var ex = Assert.Throws<TraceFormatException>(() => StepTimeLogReader.Read(path));
        Assert.Contains("line 2", ex.Message);
        Assert.Contains("longer than", ex.Message);
    }
}
