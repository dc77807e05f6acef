using Sim.Core;
using Sim.Models.Hardware;
using Sim.Models.Network;
using Sim.Models.ParameterServers;

namespace Sim.Models.Tests.ParameterServers;

public class ParameterServerTests
{
    [Fact]
    public void Sharding_balances_bytes_deterministically()
    {
        var keys = new double[] { 9, 7, 6, 5, 5, 4, 3, 1 };
        var s = new KeySharding(keys, 3);
        Assert.Equal(keys.Sum(), s.BytesPerServer.Sum());
        Assert.True(s.BytesPerServer.Max() - s.BytesPerServer.Min() <= keys.Max());
        Assert.Equal(s.ServerOfKey, new KeySharding(keys, 3).ServerOfKey);
        Assert.Equal("parameterServer.keys[1].bytes", Assert.Throws<SpecError>(() => new KeySharding([1.0, -1.0], 2)).Path);
    }

    [Fact]
    public void Incast_into_one_server_matches_the_closed_form()
    {
        // W workers at 10 GB/s push B bytes each into one server with a 10 GB/s NIC; the server adds at R.
        // Push: W flows share the server's down-link: alpha + W B / C. Aggregation: W B / R, one at a time.
        // Pull: W flows share its up-link: alpha + W B / C.
        const int W = 6;
        const double B = 1e8, C = 1e10, R = 5e10, lat = 1e-6;
        var sim = new Simulation(1);
        var t = SingleSwitch.Star(W, 1, 1e10, C, lat);
        var net = new FlowNetwork(sim, t);
        var ps = new ParameterServerGroup(net, Enumerable.Range(0, W).ToArray(), [W], new KeySharding([B / 2, B / 2], 1), R);
        var step = ps.SynchronousStep();
        sim.Run();
        Assert.True(step.IsProcessed);
        double alpha = 2 * lat;
        Assert.Equal(2 * alpha + 2 * W * B / C + W * B / R, sim.Now, 1e-12);
        Assert.Equal(W * B, net.Counters.Received[W], 1e-3);
        Assert.Equal(1.0, ps.Aggregators[0].Utilisation * sim.Now / (W * B / R), 1e-9);
    }

    [Fact]
    public void More_servers_relieve_the_incast()
    {
        double StepTime(int servers)
        {
            const int W = 8;
            var sim = new Simulation(1);
            var net = new FlowNetwork(sim, SingleSwitch.Star(W, servers, 1e10, 1e10, 1e-6));
            var keys = Enumerable.Range(0, 64).Select(k => 1e6 * (1 + k % 5)).ToArray();
            var ps = new ParameterServerGroup(net, Enumerable.Range(0, W).ToArray(), Enumerable.Range(W, servers).ToArray(), new KeySharding(keys, servers), 1e11);
            ps.SynchronousStep();
            sim.Run();
            Assert.Equal(net.Counters.Sent.ToArray().Sum(), net.Counters.Received.ToArray().Sum(), 1e-3);
            return sim.Now;
        }
        double one = StepTime(1), two = StepTime(2), four = StepTime(4);
        Assert.True(two < one && four < two, $"{one} {two} {four}");
    }

    [Fact]
    public void Asynchronous_push_pull_of_one_worker_is_not_held_up_by_others()
    {
        var sim = new Simulation(1);
        var net = new FlowNetwork(sim, SingleSwitch.Star(2, 1, 1e10, 1e10, 1e-6));
        var ps = new ParameterServerGroup(net, [0, 1], [2], new KeySharding([1e8], 1), 1e11);
        var e = ps.AsynchronousPushPull(0);
        sim.Run();
        Assert.True(e.IsProcessed);
        Assert.Equal(2 * 2e-6 + 2 * 1e8 / 1e10 + 1e8 / 1e11, sim.Now, 1e-12);
    }
}
