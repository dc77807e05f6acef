namespace Sim.Models.Collectives.Nccl;

/// <summary>
/// NCCL's own cost model of a collective, the one its tuner uses to pick an algorithm and protocol
/// per call: time = latency + bytes / bandwidth, where the latency adds a base cost per
/// algorithm/protocol to a per-step hardware latency (NVLink, PCIe or network) times the steps, and
/// the bandwidth is the links' bus bandwidth scaled by what each protocol delivers (LL: a quarter, half
/// from NCCL 2.21; LL128: 92%; Simple: all) and converted to algorithm bandwidth (ring: p / steps; tree: one half;
/// NVLS and NVLS-tree: from the bytes each NVLink port carries, <see cref="NvlsAlgorithmBandwidthGBps"/>;
/// NVLS all-gather and reduce-scatter: <see cref="NvlsGatherScatterAlgorithmBandwidthGBps"/>).
/// The tuner takes the fastest enabled pair (<see cref="Choose"/>). Network links count at the share of
/// line rate NCCL achieves on them (<see cref="NicAchievedFraction"/>).
/// <para>
/// The figures are facts read from NCCL's public source, src/graph/tuning.cc, for the release the
/// communicator names (<see cref="NcclSystem.NcclMinorVersion"/>, 2.17 to 2.27; the tables changed in 2.18,
/// 2.21 and 2.23, noted where they are read): base latencies, per-hop latencies, protocol factors and LL
/// bandwidth caps; the per-link NVLink
/// bandwidths come from src/graph/topo.h (see <see cref="NcclSystem.For"/>). Beyond one Hopper NVSwitch
/// node the tuner also weighs NVLS-tree (<see cref="NvlsTreeAlgorithmBandwidthGBps"/>). Not modelled: per-channel
/// caps of ring and tree (the channel count is a topology-search outcome), the ring's multi-node
/// plateau latency factor (it needs the channel count too) and CollNet/SHARP (in-network reduction in InfiniBand
/// switches). Network plugins' reported latencies (<see cref="NcclSystem.NetLatencyMicroseconds"/>) enter
/// every network hop as NCCL's tuner adds them.
/// </para>
/// </summary>
public static class NcclTuningModel
{
    // Base latency, us, [algorithm][protocol] (LL, LL128, Simple): Tree {6.8, 14, 0}, Ring {6.6, 14, 8.4}.
    private static readonly double[,] BaseLatency = { { 6.8, 14.0, 0 }, { 6.6, 14.0, 8.4 } };
    // Per-step hardware latency, us, [link][algorithm][protocol]; link 0 NVLink, 1 PCIe, 2 network.
    private static readonly double[,,] HopLatency =
    {
        { { 0.6, 1.25, 28 }, { 0.6, 1.9, 3.4 } },
        { { 1.0, 1.9, 28 }, { 1.0, 2.5, 5.7 } },
        { { 5.0, 8.5, 28 }, { 2.7, 4.0, 14.0 } },
    };
    /// <summary>NVLS latency inside a node, us (hwLat NVLink NVLS Simple), NCCL 2.19-2.20; 25 from 2.21
    /// (<see cref="NvlsLatencyMicrosecondsFrom221"/>).</summary>
    public const double NvlsLatencyMicroseconds = 23;
    /// <summary>NVLS and NVLS-tree latency inside a node, us, NCCL 2.21 on (hwLat NVLink NVLS/NVLSTree Simple).</summary>
    public const double NvlsLatencyMicrosecondsFrom221 = 25;
    // NVLS-tree (NCCL 2.19.3-2.20.3 src/graph/tuning.cc): hwLat NVLink NVLSTree Simple equals NVLS's in every
    // version (0 in 2.18, 23 in 2.19-2.20, 25 from 2.21) and NET NVLSTree Simple is 14 us per tree level
    // (19 in 2.18; 20.9 from 2.28.9, beyond the versions modelled); NVLS efficiency 0.85 on Hopper (nvlsEfficiency).
    private const double NvlsTreeNetLatency = 14, NvlsEfficiencyHopper = 0.85;
    private const double NvlsTreeNetLatencyUpTo218 = 19;
    // LL bandwidth caps, GB/s: [row][1 node, 2 nodes, more]; single node by GPU generation (Volta,
    // Ampere, Hopper), multi-node by host CPU (row 0 Intel, row 1 AMD).
    private static readonly double[,] LlMaxBandwidth = { { 39.0, 39.0, 20.4 }, { 87.7, 22.5, 19.0 }, { 87.7, 22.5, 19.0 } };
    // NCCL 2.21 on: single-node Hopper's LL cap rises to 141 GB/s (llMaxBws Hopper-N1; its N2/N4 entries
    // are never read: beyond one node the row is chosen by host CPU).
    private const double LlMaxBandwidthHopperOneNodeFrom221 = 141.0;

    /// <summary>NCCL 2.21 changed the tables this model reads (tuning.cc): ring LL at half the links'
    /// bandwidth, the single-node Hopper LL cap, the NVLS latency.</summary>
    private static bool From221(NcclSystem sys) => sys.NcclMinorVersion >= 21;

    // NCCL 2.23 re-measured tree Simple (tuning.cc, v2.22.3 against v2.23.4): base 8.4 us (was 0), 4 us per
    // NVLink or PCIe hop (was 28), 14 us per network hop (was 28); it also counts an all-reduce ring's
    // network steps as 2 (nodes - 1), not 2 x nodes, and with one rank per node times network hops at the
    // tree's figure. Unchanged to 2.27.
    private static bool From223(NcclSystem sys) => sys.NcclMinorVersion >= 23;
    private const double TreeSimpleBaseFrom223 = 8.4, TreeSimpleLocalHopFrom223 = 4.0, TreeSimpleNetHopFrom223 = 14;

    /// <summary>Seconds NCCL's model gives <paramref name="algorithm"/>/<paramref name="protocol"/> for
    /// <paramref name="bytes"/> (nccl-tests' size: the whole buffer); +infinity where NCCL would not run it.</summary>
    public static double Seconds(CollectiveKind kind, NcclAlgorithm algorithm, NcclProtocol protocol, NcclSystem sys, double bytes)
    {
        double bw = AlgorithmBandwidthGBps(kind, algorithm, protocol, sys);
        if (!(bw > 0)) return double.PositiveInfinity;
        if (algorithm == NcclAlgorithm.Tree && kind == CollectiveKind.AllReduce) bw *= TreeCorrection(protocol, bytes);
        return (LatencyMicroseconds(kind, algorithm, protocol, sys) + bytes / (1000 * bw)) * 1e-6;
    }

    // NCCL's static correction of tree bandwidth for mid sizes, [protocol LL, LL128, Simple][log2(bytes / 64)]
    // for 64 B .. 256 MiB (treeCorrectionFactor, src/graph/tuning.cc, NCCL 2.19-2.27): trees fall short of
    // their model at mid sizes, where too few chunks are in flight to fill both trees' pipelines.
    private static readonly double[,] TreeCorrectionFactors =
    {
        { 1.0, 1.0, 1.0, 1.0, .9, .8, .7, .7, .7, .7, .6, .5, .4, .4, .5, .6, .7, .8, .9, 1.0, 1.0, 1.0, 1.0, 1.0 },
        { 1.0, 1.0, 1.0, 1.0, 1.0, .9, .8, .8, .8, .7, .6, .6, .6, .6, .6, .6, .8, .9, .9, .9, .9, 1.0, 1.0, 1.0 },
        { .9, .9, .9, .9, .9, .9, .9, .8, .7, .6, .6, .5, .5, .5, .5, .6, .7, .8, .7, .7, .8, .9, .9, .9 },
    };

    /// <summary>The tree all-reduce bandwidth factor NCCL applies at <paramref name="bytes"/> (1 outside 64 B .. 512 MiB).</summary>
    public static double TreeCorrection(NcclProtocol protocol, double bytes)
    {
        long units = (long)bytes >> 6;
        if (units < 1) return 1;
        int log = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)units);
        return log < 23 ? TreeCorrectionFactors[(int)protocol, log] : 1;
    }

    /// <summary>The pair NCCL's tuner would pick (least modelled time), with that time.</summary>
    public static (NcclAlgorithm Algorithm, NcclProtocol Protocol, double Seconds) Choose(CollectiveKind kind, NcclSystem sys, double bytes)
    {
        var best = (NcclAlgorithm.Ring, NcclProtocol.Simple, double.PositiveInfinity);
        foreach (var a in new[] { NcclAlgorithm.Ring, NcclAlgorithm.Tree, NcclAlgorithm.Nvls, NcclAlgorithm.NvlsTree })
            foreach (var p in new[] { NcclProtocol.Ll, NcclProtocol.Ll128, NcclProtocol.Simple })
            {
                double t = Seconds(kind, a, p, sys, bytes);
                if (t < best.Item3) best = (a, p, t);
            }
        if (double.IsPositiveInfinity(best.Item3))
            throw new ArgumentException($"NCCL has no algorithm for {kind} here");
        return best;
    }

    /// <summary>Algorithm bandwidth in GB/s (0: not available).</summary>
    public static double AlgorithmBandwidthGBps(CollectiveKind kind, NcclAlgorithm algorithm, NcclProtocol protocol, NcclSystem sys)
    {
        if (sys.Ranks <= 1) return double.PositiveInfinity;
        if (sys.SimpleOnly && protocol != NcclProtocol.Simple) return 0;
        bool allReduce = kind == CollectiveKind.AllReduce;
        if (kind is not (CollectiveKind.AllReduce or CollectiveKind.AllGather or CollectiveKind.ReduceScatter)) return 0;
        // All-gather and reduce-scatter run on rings or, on one Hopper NVSwitch node, NVLS (NCCL 2.19 on);
        // NCCL offers them NVLS across nodes only with CollNet, and never NVLS-tree.
        if (algorithm is not (NcclAlgorithm.Ring or NcclAlgorithm.Nvls) && !allReduce) return 0;
        if (algorithm == NcclAlgorithm.Nvls && (!sys.NvlsCapable || sys.Nodes > 1 || protocol != NcclProtocol.Simple)) return 0;
        if (algorithm == NcclAlgorithm.NvlsTree)
            return sys.NvlsCapable && sys.Nodes > 1 && protocol == NcclProtocol.Simple ? NvlsTreeAlgorithmBandwidthGBps(sys) : 0;
        if (algorithm == NcclAlgorithm.Nvls && !allReduce) return NvlsGatherScatterAlgorithmBandwidthGBps(sys);
        // LL128 is enabled by default only where every path is NVLink (and the ranks are one generation).
        if (protocol == NcclProtocol.Ll128 && !sys.NvLink) return 0;

        // Bus bandwidth of the channels: the intra-node links, or the network per node beyond a node.
        double bus = sys.Nodes == 1 ? sys.IntraGBps : Math.Min(sys.IntraGBps, NetworkGBps(sys));
        // Two nodes' double binary tree: each node roots one tree and is the other's only child, so it
        // sends half the buffer up one tree and half down the other: S each way through its NICs, the
        // algorithm bandwidth of the NICs themselves, twice what the tree's bus-to-algorithm halving below
        // leaves (NCCL's tuner likewise counts two-node rings and trees at the intra-node bandwidth, and
        // doubles the network for two-node NVLS-tree). Beyond two nodes, interior nodes carry both halves.
        if (algorithm == NcclAlgorithm.Tree && sys.Nodes == 2) bus = Math.Min(sys.IntraGBps, 2 * NetworkGBps(sys));
        int n = sys.Nodes, ppn = sys.RanksPerNode;
        int gen = sys.ComputeCapability >= 90 ? 2 : sys.ComputeCapability >= 80 ? 1 : 0;
        double llMax = n == 1 && gen == 2 && From221(sys) ? LlMaxBandwidthHopperOneNodeFrom221
            : LlMaxBandwidth[n == 1 ? gen : sys.AmdHost ? 1 : 0, n <= 2 ? n - 1 : 2];
        switch (algorithm)
        {
            case NcclAlgorithm.Ring:
                // LL moves 8-byte lines of 4 data bytes and a flag; the tuner counted a quarter of the links
                // (a third for one node's gathers) up to 2.20 and half from 2.21.
                if (protocol == NcclProtocol.Ll)
                    bus = Math.Min(llMax, bus * (From221(sys) ? 0.5 : n > 1 || allReduce ? 1.0 / 4 : 1.0 / 3));
                if (protocol == NcclProtocol.Ll128) bus *= ppn < 2 ? 0.7 : 0.92;
                int steps = allReduce ? 2 * (sys.Ranks - 1) : sys.Ranks - 1;
                return bus * sys.Ranks / steps;
            case NcclAlgorithm.Tree:
                bus *= 0.92;
                if (protocol == NcclProtocol.Ll) bus = Math.Min(bus / 3.8, llMax);
                if (protocol == NcclProtocol.Ll128) bus *= n == 1 ? 7.0 / 9 : 120.0 / 128;
                return bus * 0.5;
            default:
                return NvlsAlgorithmBandwidthGBps(sys);
        }
    }

    /// <summary>
    /// Algorithm bandwidth of NVLS all-reduce inside a node, GB/s, from the traffic on each GPU's NVLink
    /// ports: the switch's multimem load-reduce pulls all of a GPU's S bytes and returns its reduced 1/n
    /// share, then the multicast store sends that share and delivers all S bytes of results, so each
    /// direction carries S (1 + 1/n). At NCCL's counted NVLink bandwidth (370.8 GB/s on H100, which is
    /// what ring collectives reach: NCCL's maintainers quote ~370 GB/s, nccl-tests #212) times NCCL's NVLS
    /// efficiency (0.85 on Hopper, nvlsEfficiency in tuning.cc) that is 280 GB/s on 8 H100.
    /// </summary>
    public static double NvlsAlgorithmBandwidthGBps(NcclSystem sys)
    {
        int ppn = sys.RanksPerNode;
        return sys.IntraGBps * NvlsEfficiencyHopper / (1 + 1.0 / ppn);
    }

    /// <summary>
    /// Algorithm bandwidth of NVLS all-gather and reduce-scatter inside a node, GB/s, from the traffic on
    /// each GPU's NVLink ports as <see cref="NvlsAlgorithmBandwidthGBps"/> counts it for all-reduce, which
    /// is these two halves run at once. All-gather: each GPU multicast-stores its S/n share once, the
    /// switch copies it to every GPU of the group (the sender included), so each GPU receives all S bytes.
    /// Reduce-scatter: each GPU's multimem load-reduce of its share makes the switch read that share from
    /// every GPU, so each GPU sends all S bytes and receives S/n. Either way one direction carries S and
    /// the other S/n: algorithm bandwidth = counted NVLink bandwidth x NVLS efficiency (315 GB/s on 8 H100),
    /// below a ring's n/(n-1) x 370.8 GB/s (424 GB/s), so NVLS wins only at mid sizes, where its single
    /// step beats the ring's n-1. NCCL's own tuner has varied here (src/graph/tuning.cc): 2.19.3 counts
    /// the channels' full NVLink bandwidth, current master bwIntra x nvlsEfficiency x (ppn-1)/ppn, both as
    /// algorithm bandwidth; the bytes per port are the mechanism, so the model keeps them.
    /// </summary>
    public static double NvlsGatherScatterAlgorithmBandwidthGBps(NcclSystem sys) => sys.IntraGBps * NvlsEfficiencyHopper;

    /// <summary>
    /// Algorithm bandwidth of NVLS-tree all-reduce, GB/s: the lesser of the NVSwitch side (as
    /// <see cref="NvlsAlgorithmBandwidthGBps"/>: NVLS reduces inside each node and multicasts the result)
    /// and the network side. The NVLS heads spread a node's traffic over all its NICs; between two nodes
    /// each roots one of the two trees, so each node sends half the buffer's partial sums and half its
    /// results, S each way (NCCL doubles the network bandwidth on two nodes for this reason); beyond two,
    /// interior tree nodes carry twice that. NICs deliver <see cref="NicAchievedFraction"/> of line rate.
    /// </summary>
    public static double NvlsTreeAlgorithmBandwidthGBps(NcclSystem sys)
    {
        double network = NetworkGBps(sys) * (sys.Nodes <= 2 ? 1 : 0.5);
        return Math.Min(NvlsAlgorithmBandwidthGBps(sys), network);
    }

    /// <summary>Share of a NIC's line rate NCCL's transfers achieve: 46-48 GB/s per 400 Gb/s NDR NIC,
    /// as NCCL's maintainers state (NVIDIA/nccl-tests issue #290), 0.94 of 50 GB/s.</summary>
    public const double NicAchievedFraction = 0.94;

    /// <summary>The node's NIC bandwidth as NCCL's transfers achieve it, GB/s.</summary>
    public static double NetworkGBps(NcclSystem sys) => sys.InterGBps * NicAchievedFraction;

    /// <summary>Modelled latency in microseconds.</summary>
    public static double LatencyMicroseconds(CollectiveKind kind, NcclAlgorithm algorithm, NcclProtocol protocol, NcclSystem sys)
    {
        int pr = (int)protocol, n = sys.Nodes, ppn = sys.RanksPerNode;
        int intraLink = sys.NvLink ? 0 : 1;
        // NCCL 2.18 (tuning.cc v2.18.5) gave NVLS and NVLS-tree no latency inside the node and 19 us per
        // NVLS-tree network level; 2.19 set 23 and 14, 2.21 25 inside the node.
        bool upTo218 = sys.NcclMinorVersion <= 18;
        double nvlsIntra = upTo218 ? 0 : From221(sys) ? NvlsLatencyMicrosecondsFrom221 : NvlsLatencyMicroseconds;
        if (algorithm == NcclAlgorithm.Nvls) return nvlsIntra;
        // NVLS inside the node once, then up and down the tree of nodes.
        // A network hop costs the plugin's reported latency on top of NCCL's own figure, twice for Simple
        // (tuning.cc from 2.18: interLat += latencyInter, again for the Simple protocol's flush). Up to
        // 2.17 the plugin's figure replaced NCCL's own, once for every protocol (interLat = latencyInter ?
        // latencyInter : hwLat[NET]), and multi-node LL paid 1.8 x its intra-node hop.
        bool upTo217 = sys.NcclMinorVersion <= 17;
        double plugin = sys.NetLatencyMicroseconds * (protocol == NcclProtocol.Simple && !upTo217 ? 2 : 1);
        if (algorithm == NcclAlgorithm.NvlsTree)
            return nvlsIntra + 2 * Math.Floor(Math.Log2(n)) * ((upTo218 ? NvlsTreeNetLatencyUpTo218 : NvlsTreeNetLatency) + plugin);
        int a = algorithm == NcclAlgorithm.Tree ? 0 : 1;
        bool treeSimple223 = From223(sys) && protocol == NcclProtocol.Simple;
        double HopFigure(int link, int alg) => treeSimple223 && alg == 0
            ? (link == 2 ? TreeSimpleNetHopFrom223 : TreeSimpleLocalHopFrom223) : HopLatency[link, alg, pr];
        double intra = HopFigure(intraLink, a);
        double netHop = From223(sys) && ppn == 1 ? HopFigure(2, 0) : HopFigure(2, a);
        double inter = upTo217 && plugin > 0 ? plugin : netHop + plugin;
        if (upTo217 && n > 1 && protocol == NcclProtocol.Ll) intra *= 1.8;
        double latency = treeSimple223 && a == 0 ? TreeSimpleBaseFrom223 : BaseLatency[a, pr];
        if (algorithm == NcclAlgorithm.Tree)
            return latency + 2 * ((ppn - 1) * intra + Math.Floor(Math.Log2(n)) * inter);
        bool allReduce = kind == CollectiveKind.AllReduce;
        int steps = allReduce ? 2 * (sys.Ranks - 1) : sys.Ranks - 1;
        int interSteps = allReduce ? (n > 1 ? (From223(sys) ? 2 * (n - 1) : 2 * n) : 0) : n - 1;
        if (n > 1 && !upTo217)
        {
            // Inter-node rings post a network operation every step: 1 us on Intel hosts, 2 on AMD, x3 for
            // Simple (getNetOverhead, NCCL 2.18 on).
            double overhead = (sys.AmdHost ? 2.0 : 1.0) * (protocol == NcclProtocol.Simple ? 3 : 1);
            intra = Math.Max(intra, overhead);
        }
        return latency + (steps - interSteps) * intra + interSteps * inter;
    }
}
