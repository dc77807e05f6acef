using Sim.Core.Statistics;

namespace Sim.Core.Samples;

/// <summary>
/// Two service counters in a row, like a security check followed by passport control: Poisson
/// arrivals at rate lambda, exponential service at each single-server station. Jackson's theorem says
/// each station behaves as an independent M/M/1 queue, so the mean time through both is
/// 1/(mu1 - lambda) + 1/(mu2 - lambda).
/// </summary>
public static class TandemNetwork
{
    public sealed record Result(double MeanResponse, double MeanResponse1, double MeanResponse2, double MeanInSystem1, double MeanInSystem2);

    public static Result Run(ulong seed, double lambda, double mu1, double mu2, long customers, long warmup)
    {
        var sim = new Simulation(seed);
        var first = new Resource(sim, 1, name: "station1");
        var second = new Resource(sim, 1, name: "station2");
        var arrivals = sim.Random("arrivals");
        var s1 = sim.Random("station1");
        var s2 = sim.Random("station2");
        var total = new Tally(1);
        var r1 = new Tally(1);
        var r2 = new Tally(1);
        var n1 = new TimeWeighted();
        var n2 = new TimeWeighted();
        int in1 = 0, in2 = 0;

        IEnumerable<Event> Customer(long id)
        {
            double arrived = sim.Now;
            n1.Update(sim.Now, ++in1);
            var t1 = first.Request();
            yield return t1;
            yield return sim.Sleep(s1.NextExponential(mu1));
            first.Release(t1);
            n1.Update(sim.Now, --in1);
            double mid = sim.Now;
            n2.Update(sim.Now, ++in2);
            var t2 = second.Request();
            yield return t2;
            yield return sim.Sleep(s2.NextExponential(mu2));
            second.Release(t2);
            n2.Update(sim.Now, --in2);
            if (id >= warmup)
            {
                r1.Add(mid - arrived);
                r2.Add(sim.Now - mid);
                total.Add(sim.Now - arrived);
            }
        }

        IEnumerable<Event> Source()
        {
            for (long i = 0; i < customers; i++)
            {
                yield return sim.Sleep(arrivals.NextExponential(lambda));
                sim.Process(Customer(i));
            }
        }

        sim.Process(Source());
        sim.Run();
        return new Result(total.Mean, r1.Mean, r2.Mean, n1.Mean(sim.Now), n2.Mean(sim.Now));
    }
}
