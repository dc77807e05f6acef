using System.Globalization;
using Sim.Cli.Commands;

namespace Sim.Cli.Tests;

public class CollectiveCommandTests
{
    private static (int code, string stdout, string stderr) Run(string cluster = "dgx-a100", string nodes = "2", string op = "allreduce",
        string? algo = null, string backend = "flow", string min = "8", string max = "1M", string step = "4")
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CollectiveCommand.Run(cluster, nodes, op, algo, backend, min, max, step, o, e);
        return (code, o.ToString(), e.ToString());
    }

    private static double[][] Rows(string stdout) => stdout.Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(c => new[] { double.Parse(c[0], CultureInfo.InvariantCulture), double.Parse(c[4], CultureInfo.InvariantCulture),
            double.Parse(c[5], CultureInfo.InvariantCulture), double.Parse(c[6], CultureInfo.InvariantCulture) })
        .ToArray();

    [Fact]
    public void Prints_an_nccl_tests_table_with_bus_bandwidth_definitions()
    {
        var (code, stdout, stderr) = Run(max: "256M");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var rows = Rows(stdout);
        Assert.Equal(13, rows.Length); // 8 B .. 128 MiB by 4x (512 MiB would pass the maximum)
        foreach (var r in rows) Assert.Equal(r[2] * 2.0 * 15 / 16, r[3], 0.011); // allreduce busbw = algbw * 2(n-1)/n, n = 16
        // Time grows with size; with one ring channel per rail, large messages approach (but never beat)
        // the eight 25 GB/s rail NICs of a DGX A100 on busbw.
        for (int i = 1; i < rows.Length; i++) Assert.True(rows[i][1] >= rows[i - 1][1]);
        Assert.InRange(rows[^1][3], 100, 8 * 25.0001);
        Assert.Contains("# Avg bus bandwidth", stdout);
    }

    [Fact]
    public void Broadcast_busbw_equals_algbw_and_alltoall_uses_n_minus_1_over_n()
    {
        var b = Rows(Run(op: "broadcast").stdout);
        Assert.All(b, r => Assert.Equal(r[2], r[3], 0.011));
        var a = Rows(Run(op: "alltoall", nodes: "1", backend: "analytical").stdout);
        Assert.All(a, r => Assert.Equal(r[2] * 7 / 8, r[3], 0.011));
    }

    [Theory]
    [InlineData("dgx-z9", "2", "allreduce", null, "flow", "8", "1M", "2", "valid presets")]
    [InlineData("dgx-a100", "0", "allreduce", null, "flow", "8", "1M", "2", "--nodes")]
    [InlineData("dgx-a100", "2", "gather", null, "flow", "8", "1M", "2", "--op")]
    [InlineData("dgx-a100", "2", "broadcast", "tree", "flow", "8", "1M", "2", "--algo")]
    [InlineData("dgx-a100", "2", "allreduce", null, "packet", "8", "1M", "2", "--backend")]
    [InlineData("dgx-a100", "2", "allreduce", null, "flow", "8X", "1M", "2", "--min-bytes")]
    [InlineData("dgx-a100", "2", "allreduce", null, "flow", "8M", "1M", "2", "--max-bytes")]
    [InlineData("dgx-a100", "2", "allreduce", null, "flow", "8", "1M", "1", "--step-factor")]
    [InlineData("dgx-a100", "3", "allreduce", "rhd", "flow", "8", "1M", "2", "power-of-two")]
    [InlineData("dgx-a100", "5000000", "allreduce", null, "flow", "8", "1M", "2", "--nodes")]
    [InlineData("dgx-a100", "2", "allreduce", null, "flow", "8", "1G", "1.0001", "at most 1000")]
    public void Bad_input_exits_2_with_a_message_naming_the_option(string cluster, string nodes, string op, string? algo, string backend,
        string min, string max, string step, string expected)
    {
        var (code, stdout, stderr) = Run(cluster, nodes, op, algo, backend, min, max, step);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public void Sizes_take_binary_suffixes()
    {
        Assert.Equal(128L << 20, CollectiveCommand.ParseBytes("--max-bytes", "128M"));
        Assert.Equal(8, CollectiveCommand.ParseBytes("--min-bytes", "8"));
        Assert.Equal(2L << 30, CollectiveCommand.ParseBytes("--max-bytes", "2g"));
    }

    [Fact]
    public void Nccl_algo_prints_the_tuners_choice_per_size()
    {
        var (code, stdout, stderr) = Run(nodes: "1", algo: "nccl", min: "8", max: "8G", step: "1024");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.Equal(4, lines.Length); // 8 B, 8 KiB, 8 MiB, 8 GiB
        Assert.EndsWith("Ring/Ll", lines[0]);
        Assert.EndsWith("Ring/Simple", lines[^1]);
        // 8 GiB: busbw just under the ~230 GB/s A100 achieves of the 240 GB/s NCCL counts for twelve NVLinks.
        double busbw = double.Parse(lines[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[6], CultureInfo.InvariantCulture);
        Assert.InRange(busbw, 0.99 * 230, 230);
    }

    [Fact]
    public void Nccl_algo_shows_NVLS_all_gather_and_reduce_scatter_at_mid_sizes_on_one_H100_node()
    {
        // 1 MiB: ring LL; 4 MiB: NVLS (one step through the switch); 64 MiB: ring Simple (wider than NVLS).
        foreach (var op in new[] { "allgather", "reducescatter" })
        {
            var (code, stdout, stderr) = Run(cluster: "dgx-h100", nodes: "1", op: op, algo: "nccl", min: "1M", max: "64M", step: "4");
            Assert.Equal(0, code);
            Assert.Equal("", stderr);
            var lines = stdout.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
            Assert.Equal(4, lines.Length); // 1, 4, 16, 64 MiB
            Assert.EndsWith("Ring/Ll", lines[0]);
            Assert.EndsWith("Nvls/Simple", lines[1]);
            Assert.EndsWith("Ring/Simple", lines[^1]);
        }
    }

    [Fact]
    public void Nccl_version_picks_the_tuning_tables_of_that_release()
    {
        // One H100 node, 1 MiB all-reduce: NCCL 2.20's tables switch to NVLS near 0.5 MB, 2.21's keep ring LL
        // to ~1.1 MB (ring LL at half the links, capped at 141 GB/s); the patch level changes nothing.
        string Pick(string? version)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            int code = CollectiveCommand.Run("dgx-h100", "1", "allreduce", "nccl", "flow", "1M", "1M", "2", o, e, version);
            Assert.Equal(0, code);
            Assert.Equal("", e.ToString());
            return o.ToString().Split('\n').Single(l => l.Length > 0 && !l.StartsWith('#'));
        }
        Assert.EndsWith("Nvls/Simple", Pick(null));
        Assert.EndsWith("Nvls/Simple", Pick("2.20"));
        Assert.EndsWith("Ring/Ll", Pick("2.21"));
        Assert.Equal(Pick("2.21"), Pick("2.21.5"));
        Assert.Equal(21, CollectiveCommand.ParseNcclVersion(" 2.21.5 "));
    }

    [Theory]
    [InlineData("nccl", "2", "expected a release from 2.17 to 2.27")]
    [InlineData("nccl", "2.x", "expected a release from 2.17 to 2.27")]
    [InlineData("nccl", "3.1", "expected a release from 2.17 to 2.27")]
    [InlineData("nccl", "2.5", "expected a release from 2.17 to 2.27")]
    [InlineData("nccl", "2.28", "expected a release from 2.17 to 2.27")]
    [InlineData("nccl", "2.21.x", "expected a release from 2.17 to 2.27")]
    [InlineData("ring", "2.21", "applies only with --algo nccl")]
    public void A_bad_nccl_version_exits_2_naming_the_option(string algo, string version, string expected)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CollectiveCommand.Run("dgx-h100", "1", "allreduce", algo, "flow", "1M", "1M", "2", o, e, version);
        Assert.Equal(2, code);
        Assert.Equal("", o.ToString());
        Assert.Contains("--nccl-version: " + expected, e.ToString());
    }

    [Fact]
    public void Nccl_algo_refuses_what_it_does_not_model()
    {
        var (code, _, stderr) = Run(algo: "nccl", op: "alltoall");
        Assert.Equal(2, code);
        Assert.Contains("--algo: nccl models allreduce, allgather and reducescatter", stderr);
        (code, _, stderr) = Run(cluster: "cpu-host", algo: "nccl");
        Assert.Equal(2, code);
        Assert.Contains("NCCL's model covers NVIDIA GPUs", stderr);
    }

    [Fact]
    public void Compare_sets_each_published_sweep_beside_the_model_size_by_size()
    {
        foreach (var curve in Sim.Scenarios.Validation.NcclTestsCurves.All)
        {
            var o = new StringWriter();
            var e = new StringWriter();
            Assert.Equal(0, CollectiveCommand.RunCompare(curve.Name, o, e));
            var rows = o.ToString().Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray();
            var expected = curve.Compare();
            Assert.Equal(expected.Count, rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                Assert.Equal(expected[i].Bytes, long.Parse(rows[i][0], CultureInfo.InvariantCulture));
                Assert.Equal(100 * expected[i].Error, double.Parse(rows[i][5], CultureInfo.InvariantCulture), 0.051);
            }
            Assert.Contains(curve.Source, o.ToString());
        }
        var err = new StringWriter();
        Assert.Equal(2, CollectiveCommand.RunCompare("nccl-tests-allreduce-2x-p4", new StringWriter(), err));
        Assert.Contains("--compare: expected all or one of nccl-tests-allreduce-1x-dgx-h100, nccl-tests-allreduce-1x-p5, nccl-tests-allreduce-2x-p5", err.ToString());
    }

    [Fact]
    public void Compare_names_the_NVLink_bandwidth_A100_kernels_reach_beside_what_NCCL_counts()
    {
        var a100 = new StringWriter();
        Assert.Equal(0, CollectiveCommand.RunCompare("nccl-tests-allreduce-1x-a100", a100, new StringWriter()));
        Assert.Contains("NVLink 240 GB/s per GPU as NCCL counts it, 230 as its kernels reach it", a100.ToString());
        // Hopper reaches what NCCL counts: nothing to name.
        var h100 = new StringWriter();
        Assert.Equal(0, CollectiveCommand.RunCompare("nccl-tests-allreduce-1x-dgx-h100", h100, new StringWriter()));
        Assert.DoesNotContain("as its kernels reach it", h100.ToString());
        var (code, stdout, _) = Run(nodes: "1", algo: "nccl", min: "8", max: "8");
        Assert.Equal(0, code);
        Assert.Contains("NVLink 240 GB/s per GPU as NCCL counts it (230 as its kernels reach it)", stdout);
    }

    [Fact]
    public void Compare_all_prints_every_curve_and_each_ones_error_per_size_band()
    {
        var o = new StringWriter();
        Assert.Equal(0, CollectiveCommand.RunCompare("all", o, new StringWriter()));
        string text = o.ToString();
        var curves = Sim.Scenarios.Validation.NcclTestsCurves.All;
        foreach (var curve in curves)
        {
            Assert.Contains(curve.Source, text);
            // The summary row: the curve's name, then worst/mean per band, as the curve computes them.
            var summary = text.Split('\n').Single(l => l.StartsWith("  " + curve.Name + " ", StringComparison.Ordinal));
            var cells = summary.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
            var bands = curve.BandErrors();
            Assert.Equal(bands.Count * 2, cells.Length);
            for (int i = 0; i < bands.Count; i++)
            {
                if (double.IsNaN(bands[i].Worst)) { Assert.Equal(["-", "-"], cells[(2 * i)..(2 * i + 2)]); continue; }
                Assert.Equal(100 * bands[i].Worst, double.Parse(cells[2 * i].TrimEnd('%'), CultureInfo.InvariantCulture), 0.051);
                Assert.Equal(100 * bands[i].MeanAbs, double.Parse(cells[2 * i + 1].TrimEnd('%'), CultureInfo.InvariantCulture), 0.051);
            }
        }
        Assert.Equal(curves.Sum(c => c.Compare().Count + 1), text.Split('\n').Count(l => l.StartsWith("  ", StringComparison.Ordinal)));
    }
}
