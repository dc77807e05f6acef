using System.CommandLine;
using System.Globalization;
using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim collective</c>: nccl-tests for a simulated cluster, like a dynamometer run for an engine that
/// is only on paper. Sweeps message sizes for one collective on a preset cluster and prints the same
/// table as NVIDIA's nccl-tests (size, count, type, time, algorithm and bus bandwidth) so that simulated
/// and measured runs can be read side by side.
/// </summary>
public static class CollectiveCommand
{
    /// <summary>One validated request.</summary>
    internal sealed record Request(string Cluster, int Nodes, CollectiveKind Op, CollectiveAlgorithm Algorithm, Sim.Scenarios.Training.Backends.INetworkBackend Backend,
        long MinBytes, long MaxBytes, double StepFactor, bool Nccl = false,
        int NcclMinorVersion = Sim.Models.Collectives.Nccl.NcclSystem.DefaultNcclMinorVersion);

    // NCCL versions whose tuning tables the model follows: 2.17 (its plugin-latency rule), 2.18-2.20,
    // 2.21-2.22, 2.23-2.27 (2.28 added per-channel NVLS-tree caps the model does not have).
    private const int MinNcclMinor = 17, MaxNcclMinor = 27;

    // Bounds that keep a mistyped command from exhausting memory or running for hours: 20,000 nodes
    // is 160,000 GPUs on the 8-GPU presets, beyond the largest clusters built.
    private const int MaxNodes = 20_000, MaxRows = 1_000;

    public static Command Create()
    {
        var cmd = new Command("collective", "Simulate a collective over a range of sizes and print an nccl-tests style table");
        var cluster = new Option<string>("--cluster") { Description = $"Node preset: {string.Join(", ", HardwarePresets.Names)}", DefaultValueFactory = _ => "dgx-a100" };
        var nodes = new Option<string>("--nodes") { Description = "Number of nodes", DefaultValueFactory = _ => "2" };
        var op = new Option<string>("--op") { Description = "allreduce|allgather|reducescatter|broadcast|alltoall", DefaultValueFactory = _ => "allreduce" };
        var algo = new Option<string?>("--algo") { Description = "nccl|ring|tree|rhd|hierarchical (nccl: NCCL's tuning model picks algorithm and protocol per size; default: ring; alltoall: direct)" };
        var backend = new Option<string>("--backend") { Description = "analytical|flow (the network backends that simulate transfers)", DefaultValueFactory = _ => "flow" };
        var minBytes = new Option<string>("--min-bytes") { Description = "Smallest size, bytes (K, M, G suffixes are powers of 1024)", DefaultValueFactory = _ => "8" };
        var maxBytes = new Option<string>("--max-bytes") { Description = "Largest size, bytes", DefaultValueFactory = _ => "128M" };
        var step = new Option<string>("--step-factor") { Description = "Multiply the size by this between rows (> 1)", DefaultValueFactory = _ => "2" };
        var ncclVersion = new Option<string?>("--nccl-version") { Description = $"With --algo nccl: the NCCL release whose tuning tables apply, 2.{MinNcclMinor}-2.{MaxNcclMinor} (default 2.{Sim.Models.Collectives.Nccl.NcclSystem.DefaultNcclMinorVersion}; 2.21 changed ring LL, Hopper's LL cap, NVLS latency and NVLS-tree chunks)" };
        var compare = new Option<string?>("--compare") { Description = $"Set NCCL's predicted time beside a published nccl-tests sweep, or every sweep with 'all' (other options ignored): {string.Join(", ", Sim.Scenarios.Validation.NcclTestsCurves.All.Select(c => c.Name))}" };
        foreach (var o in new Option[] { cluster, nodes, op, algo, backend, minBytes, maxBytes, step, ncclVersion, compare }) cmd.Options.Add(o);
        cmd.SetAction(parse => parse.GetValue(compare) is { } curve
            ? RunCompare(curve, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error)
            : Run(parse.GetValue(cluster)!, parse.GetValue(nodes)!, parse.GetValue(op)!, parse.GetValue(algo),
                parse.GetValue(backend)!, parse.GetValue(minBytes)!, parse.GetValue(maxBytes)!, parse.GetValue(step)!,
                parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, parse.GetValue(ncclVersion)));
        return cmd;
    }

    /// <summary>Validates the raw option values, runs the sweep; 0 on success, 2 on bad input, through
    /// <see cref="CommandGuard"/> like every command.</summary>
    internal static int Run(string cluster, string nodes, string op, string? algo, string backend, string minBytes, string maxBytes,
        string stepFactor, TextWriter output, TextWriter error, string? ncclVersion = null) =>
        CommandGuard.Run(error, () =>
        {
            Sweep(Parse(cluster, nodes, op, algo, backend, minBytes, maxBytes, stepFactor, ncclVersion), output);
            return ExitCodes.Success;
        });

    /// <summary><c>--compare NAME</c>: the published sweep NAME (<see cref="Sim.Scenarios.Validation.NcclTestsCurves"/>)
    /// beside the NCCL prediction for the same machine, size by size, with the error and the error per size
    /// band; <c>--compare all</c>: every committed sweep, then a summary of each one's band errors; 2 on an
    /// unknown name.</summary>
    internal static int RunCompare(string name, TextWriter output, TextWriter error) =>
        CommandGuard.Run(error, () =>
        {
            var all = Sim.Scenarios.Validation.NcclTestsCurves.All;
            var curves = name == "all" ? all
                : [all.FirstOrDefault(c => c.Name == name)
                   ?? throw new UsageException($"--compare: expected all or one of {string.Join(", ", all.Select(c => c.Name))}, got '{name}'")];
            foreach (var curve in curves) WriteComparison(curve, output);
            if (curves.Count > 1)
            {
                output.WriteLine("#");
                output.WriteLine("# busbw error per size band, every curve: worst (signed), then mean |error|");
                output.WriteLine($"# {"curve",-36} {string.Join(" ", Sim.Scenarios.Validation.NcclTestsCurve.Bands.Select(b => $"{b.Label,20}"))}");
                foreach (var curve in curves)
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {curve.Name,-36} {string.Join(" ", curve.BandErrors().Select(b => double.IsNaN(b.Worst) ? $"{"-",12} {"-",7}" : $"{100 * b.Worst,11:+0.0;-0.0}% {100 * b.MeanAbs,6:F1}%"))}"));
            }
            return ExitCodes.Success;
        });

    private static void WriteComparison(Sim.Scenarios.Validation.NcclTestsCurve curve, TextWriter output)
    {
        var sys = curve.NcclSystem;
        output.WriteLine($"# sim collective --compare {curve.Name}: all-reduce, published nccl-tests sweep beside NCCL's algorithm choice and its time (tuning model + pipeline fill, at the NVLink bandwidth the GPU achieves)");
        output.WriteLine($"# system: {curve.System}");
        output.WriteLine($"# source: {curve.Source}");
        output.WriteLine($"# modelled as: {curve.Nodes} x {curve.Preset} ({sys.Ranks} ranks)"
            + (sys.AchievedIntraGBps < sys.IntraGBps ? $", NVLink {sys.IntraGBps:G4} GB/s per GPU as NCCL counts it, {sys.AchievedIntraGBps:G4} as its kernels reach it" : "")
            + $", network {sys.InterGBps:G4} GB/s per node, NCCL 2.{sys.NcclMinorVersion} tables"
            + (sys.SimpleOnly ? ", Simple only" : "") + (curve.NvlsDisabled ? ", NVLS off" : "")
            + (sys.SimpleBufferBytes != Sim.Models.Collectives.Nccl.NcclSystem.DefaultSimpleBufferBytes ? $", NCCL_BUFFSIZE {sys.SimpleBufferBytes >> 20} MiB" : "")
            + (sys.NetLatencyMicroseconds > 0 ? $", plugin latency {sys.NetLatencyMicroseconds:G4} us" : ""));
        output.WriteLine($"# {"size",10} {"measured",10} {"busbw",8} {"model",10} {"busbw",8} {"error",7}  algo/proto");
        output.WriteLine($"# {"(B)",10} {"(us)",10} {"(GB/s)",8} {"(us)",10} {"(GB/s)",8} {"(%)",7}");
        var rows = curve.Compare();
        foreach (var (r, point) in rows.Zip(curve.Points.Where(p => rows.Any(x => x.Bytes == p.Bytes))))
        {
            var (algorithm, protocol, seconds) = Sim.Models.Collectives.Nccl.NcclCollectiveTime.Predict(CollectiveKind.AllReduce, sys, r.Bytes);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Bytes,10} {point.Microseconds,10:F1} {r.Measured,8:F2} {seconds * 1e6,10:F1} {r.Predicted,8:F2} {100 * r.Error,7:+0.0;-0.0}  {algorithm}/{protocol}"));
        }
        foreach (var b in curve.BandErrors().Where(b => !double.IsNaN(b.Worst)))
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"# band {b.Label,-14}: worst {100 * b.Worst,7:+0.0;-0.0}%, mean |error| {100 * b.MeanAbs,5:F1}%"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# worst |error| {rows[0].Bytes}..{rows[^1].Bytes} B: {100 * rows.Max(r => Math.Abs(r.Error)):F1}%; at {rows[^1].Bytes} B: {100 * rows[^1].Error:+0.0;-0.0}%"));
    }

    internal static Request Parse(string cluster, string nodes, string op, string? algo, string backend, string minBytes, string maxBytes, string stepFactor,
        string? ncclVersion = null)
    {
        HardwarePresets.Node(cluster, "--cluster");
        if (!int.TryParse(nodes, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < 1 || n > MaxNodes)
            throw new UsageException($"--nodes: expected a whole number from 1 to {MaxNodes}, got '{nodes}'");
        var kind = op.ToLowerInvariant() switch
        {
            "allreduce" => CollectiveKind.AllReduce,
            "allgather" => CollectiveKind.AllGather,
            "reducescatter" => CollectiveKind.ReduceScatter,
            "broadcast" => CollectiveKind.Broadcast,
            "alltoall" => CollectiveKind.AllToAll,
            _ => throw new UsageException($"--op: expected allreduce, allgather, reducescatter, broadcast or alltoall, got '{op}'"),
        };
        bool nccl = string.Equals(algo, "nccl", StringComparison.OrdinalIgnoreCase);
        if (nccl && kind is not (CollectiveKind.AllReduce or CollectiveKind.AllGather or CollectiveKind.ReduceScatter))
            throw new UsageException($"--algo: nccl models allreduce, allgather and reducescatter, not {op}");
        var algorithm = (nccl ? "ring" : algo ?? (kind == CollectiveKind.AllToAll ? "direct" : "ring")).ToLowerInvariant() switch
        {
            "ring" => CollectiveAlgorithm.Ring,
            "tree" => CollectiveAlgorithm.Tree,
            "rhd" => CollectiveAlgorithm.Rhd,
            "hierarchical" => CollectiveAlgorithm.Hierarchical,
            "direct" => CollectiveAlgorithm.Direct,
            _ => throw new UsageException($"--algo: expected ring, tree, rhd or hierarchical, got '{algo}'"),
        };
        if (!CollectiveFactory.Supported(kind).Contains(algorithm))
            throw new UsageException($"--algo: {op} has no '{algo}' algorithm; supported: {string.Join(", ", CollectiveFactory.Supported(kind)).ToLowerInvariant()}");
        // A collective is its transfers: only the backends that simulate transfers can run one.
        var transferBackends = Sim.Scenarios.Training.Backends.NetworkBackends.Registry.Entries.Where(b => b.SimulatesTransfers).ToList();
        var network = transferBackends.FirstOrDefault(b => b.Name == backend.ToLowerInvariant())
            ?? throw new UsageException($"--backend: expected {string.Join(" or ", transferBackends.Select(b => b.Name))}, got '{backend}'");
        long min = ParseBytes("--min-bytes", minBytes), max = ParseBytes("--max-bytes", maxBytes);
        if (max < min) throw new UsageException($"--max-bytes ({max}) must be >= --min-bytes ({min})");
        if (!double.TryParse(stepFactor, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) || !(f > 1) || double.IsInfinity(f))
            throw new UsageException($"--step-factor: expected a number > 1, got '{stepFactor}'");
        double rows = Math.Floor(Math.Log((double)max / min) / Math.Log(f)) + 1;
        if (rows > MaxRows)
            throw new UsageException($"--step-factor: {stepFactor} from {min} to {max} bytes gives {rows:N0} sizes; at most {MaxRows} (use a larger factor)");
        if (nccl) Sim.Models.Collectives.Nccl.NcclSystem.For(HardwarePresets.Node(cluster, "--cluster"), n); // a SpecError for CPUs
        int minor = Sim.Models.Collectives.Nccl.NcclSystem.DefaultNcclMinorVersion;
        if (ncclVersion is not null)
        {
            if (!nccl) throw new UsageException("--nccl-version: applies only with --algo nccl");
            minor = ParseNcclVersion(ncclVersion);
        }
        return new Request(cluster, n, kind, algorithm, network, min, max, f, nccl, minor);
    }

    /// <summary>"2.21" or "2.21.5" (the patch level does not change the tables): the minor version.</summary>
    internal static int ParseNcclVersion(string text)
    {
        var parts = text.Trim().Split('.');
        if (parts.Length is 2 or 3 && parts[0] == "2" && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int minor)
            && minor is >= MinNcclMinor and <= MaxNcclMinor && (parts.Length == 2 || int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return minor;
        throw new UsageException($"--nccl-version: expected a release from 2.{MinNcclMinor} to 2.{MaxNcclMinor} such as 2.21 or 2.21.5, got '{text}'");
    }

    /// <summary>Bytes with an optional K/M/G suffix (powers of 1024, as nccl-tests' -b/-e).</summary>
    internal static long ParseBytes(string option, string text)
    {
        string t = text.Trim();
        long unit = 1;
        if (t.Length > 0 && char.IsLetter(t[^1]))
        {
            unit = char.ToUpperInvariant(t[^1]) switch
            {
                'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30,
                _ => throw new UsageException($"{option}: unknown suffix in '{text}'; use K, M or G"),
            };
            t = t[..^1];
        }
        if (!long.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) || v < 1 || v > (1L << 40) / unit)
            throw new UsageException($"{option}: expected a size from 1 to 1T bytes, got '{text}'");
        return v * unit;
    }

    /// <summary>The table NCCL predicts: per size, the algorithm and protocol its tuner picks and the time
    /// (tuning model plus pipeline fill, <see cref="Sim.Models.Collectives.Nccl.NcclCollectiveTime"/>).</summary>
    private static void SweepNccl(Request r, TextWriter output)
    {
        var spec = HardwarePresets.Cluster(r.Cluster, r.Nodes);
        var sys = Sim.Models.Collectives.Nccl.NcclSystem.For(spec.Node, r.Nodes) with { NcclMinorVersion = r.NcclMinorVersion };
        output.WriteLine($"# sim collective: {r.Op.ToString().ToLowerInvariant()}, NCCL 2.{r.NcclMinorVersion} tables (the tuning model picks algorithm and protocol per size; NVLS pipelines add their fill)");
        output.WriteLine($"# cluster: {spec.Name} ({sys.Ranks} ranks), NVLink {sys.IntraGBps:G4} GB/s per GPU as NCCL counts it"
            + (sys.AchievedIntraGBps < sys.IntraGBps ? $" ({sys.AchievedIntraGBps:G4} as its kernels reach it)" : "") + $", network {sys.InterGBps:G4} GB/s per node");
        WriteTable(r, sys.Ranks, "  algo/proto", output, bytes =>
        {
            var (algorithm, protocol, seconds) = Sim.Models.Collectives.Nccl.NcclCollectiveTime.Predict(r.Op, sys, bytes);
            return (seconds, $"  {algorithm}/{protocol}");
        });
    }

    private static void Sweep(Request r, TextWriter output)
    {
        if (r.Nccl) { SweepNccl(r, output); return; }
        var spec = HardwarePresets.Cluster(r.Cluster, r.Nodes);
        var topology = ClusterTopology.Build(spec);
        int p = topology.EndpointCount;
        if (r.Op == CollectiveKind.AllToAll && (long)p * (p - 1) > 20_000_000)
            throw new UsageException($"--nodes: all-to-all over {p} ranks needs {(long)p * (p - 1):N0} transfers per size; use at most 4,472 ranks");
        var ranks = Enumerable.Range(0, p).ToArray();
        // Fail on an impossible algorithm (e.g. rhd over a non-power-of-two) before printing anything.
        // The factory's refusal names what the algorithm needs, which is what the user must change.
        try { CollectiveFactory.Create(r.Op, r.Algorithm, new AnalyticalNetwork(new Simulation(), topology), ranks, r.MinBytes, spec.Node.DevicesPerNode); }
        catch (ArgumentException e) { throw new UsageException($"--algo: {e.Message}"); }

        output.WriteLine($"# sim collective: {r.Op.ToString().ToLowerInvariant()}, algorithm {r.Algorithm.ToString().ToLowerInvariant()}, {r.Backend.Summary} network");
        output.WriteLine($"# cluster: {spec.Name} ({p} ranks, {spec.Fabric.Kind}), node source: {spec.Node.Source}");
        WriteTable(r, p, "", output, bytes =>
        {
            var sim = new Simulation(1);
            INetwork net = r.Backend.CreateNetwork(sim, topology)!;
            var c = CollectiveFactory.Create(r.Op, r.Algorithm, net, ranks, bytes, spec.Node.DevicesPerNode);
            c.Run();
            sim.Run();
            return (c.Duration, "");
        });
    }

    /// <summary>The nccl-tests table both sweeps print: column heads, one row per size from --min-bytes to
    /// --max-bytes by --step-factor (time from <paramref name="timeOf"/>, with its note appended), and the
    /// average bus bandwidth.</summary>
    private static void WriteTable(Request r, int ranks, string noteHead, TextWriter output, Func<long, (double Seconds, string Note)> timeOf)
    {
        string redop = r.Op is CollectiveKind.AllReduce or CollectiveKind.ReduceScatter ? "sum" : "none";
        output.WriteLine("#");
        output.WriteLine($"# {"size",10} {"count",12} {"type",6} {"redop",6} {"time",10} {"algbw",8} {"busbw",8}{noteHead}");
        output.WriteLine($"# {"(B)",10} {"(elements)",12} {"",6} {"",6} {"(us)",10} {"(GB/s)",8} {"(GB/s)",8}");
        double busSum = 0;
        int rows = 0;
        for (double size = r.MinBytes; size <= r.MaxBytes * (1 + 1e-12); size *= r.StepFactor)
        {
            long bytes = (long)Math.Round(size);
            var (seconds, note) = timeOf(bytes);
            double algbw = bytes / seconds / 1e9, busbw = algbw * BusBandwidth.Factor(r.Op, ranks);
            busSum += busbw; rows++;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {bytes,10} {bytes / 4,12} {"float",6} {redop,6} {seconds * 1e6,10:F2} {algbw,8:F2} {busbw,8:F2}{note}"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# Avg bus bandwidth    : {busSum / Math.Max(1, rows):F3}"));
    }
}
