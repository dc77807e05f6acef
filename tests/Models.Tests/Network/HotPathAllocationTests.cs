using Sim.Core;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Network;

/// <summary>The callback path of both backends allocates nothing per transfer once its arrays have grown.</summary>
public class HotPathAllocationTests
{
    private static long AllocatedBySecondRound(INetwork net, int transfers)
    {
        var sim = net.Simulation;
        Action<long> onDone = _ => { };
        var t = net.Topology;
        void Round()
        {
            for (int i = 0; i < transfers; i++) net.Transfer(1e6 * (1 + i % 7), i % t.EndpointCount, (i * 7 + 3) % t.EndpointCount, onDone, i);
            sim.Run();
        }
        Round(); // grows every array to its working size
        long before = GC.GetAllocatedBytesForCurrentThread();
        Round();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void Flow_network_steady_state_allocates_nothing_per_transfer()
    {
        var t = FatTree.TwoLevel(64, 1e10, 1e-6, new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 8, UplinksPerLeaf = 2, Oversubscription = 2 });
        var net = new FlowNetwork(new Simulation(1), t);
        long bytes = AllocatedBySecondRound(net, 2000);
        Assert.True(bytes < 2000, $"{bytes} bytes allocated for 2000 transfers");
        Assert.True(net.Recomputations > 100);
    }

    [Fact]
    public void Analytical_network_steady_state_allocates_nothing_per_transfer()
    {
        var net = new AnalyticalNetwork(new Simulation(1), SingleSwitch.Create(64, 1e10, 1e-6));
        long bytes = AllocatedBySecondRound(net, 2000);
        Assert.True(bytes < 2000, $"{bytes} bytes allocated for 2000 transfers");
    }
}

public class NetworkBenchmarkWorkloadTests
{
    [Fact]
    public void Small_benchmark_workloads_run_and_report_their_events()
    {
        var workloads = NetworkBenchmarks.Workloads(flowCounts: [200], ringGpus: 512, ringBytes: 1e6);
        Assert.Equal(4, workloads.Count);
        foreach (var (name, unit, run) in workloads)
        {
            var (events, note) = run();
            Assert.True(events > 0, name);
            Assert.False(string.IsNullOrEmpty(note));
            Assert.Equal("events", unit);
        }
    }
}
