using Sim.Core.Randomness;
using Sim.Core.Statistics;

namespace Sim.Core.Samples;

/// <summary>
/// The bank-teller model behind most of queueing theory: customers arrive as a Poisson stream, wait
/// for one of <c>servers</c> tellers, are served for a time drawn from a service distribution and
/// leave. With exponential service this is M/M/1 or M/M/c, with deterministic service M/D/1, with any
/// other M/G/1. Each customer is a process that requests the resource, holds it and releases it, which
/// also makes this the kernel's standard benchmark.
/// </summary>
public static class QueueingStation
{
    public sealed record Result(
        long Customers, double MeanResponse, double MeanWait, double ProbabilityOfWaiting,
        double MeanInSystem, double MeanQueueLength, double Utilisation, double EndTime, long Events);

    /// <param name="warmup">Customers at the start whose times are discarded (initialisation bias).</param>
    public static Result Run(ulong seed, double arrivalRate, IDistribution service, int servers, long customers, long warmup = 0)
    {
        if (!(arrivalRate > 0)) throw new ArgumentOutOfRangeException(nameof(arrivalRate), arrivalRate, "must be > 0");
        if (customers <= warmup) throw new ArgumentOutOfRangeException(nameof(customers), customers, "must exceed warmup");
        var sim = new Simulation(seed);
        var counter = new Resource(sim, servers, name: "servers");
        var arrivals = sim.Random("arrivals");
        var serviceRng = sim.Random("service");
        var response = new Tally(1);
        var wait = new Tally(1);
        long waited = 0;
        var inSystem = new TimeWeighted();
        int present = 0;

        IEnumerable<Event> Customer(long id)
        {
            double arrived = sim.Now;
            inSystem.Update(sim.Now, ++present);
            var ticket = counter.Request();
            yield return ticket;
            double started = sim.Now;
            yield return sim.Sleep(service.Sample(serviceRng));
            counter.Release(ticket);
            inSystem.Update(sim.Now, --present);
            if (id >= warmup)
            {
                wait.Add(started - arrived);
                if (started > arrived) waited++;
                response.Add(sim.Now - arrived);
            }
        }

        IEnumerable<Event> Source()
        {
            for (long i = 0; i < customers; i++)
            {
                yield return sim.Sleep(arrivals.NextExponential(arrivalRate));
                sim.Process(Customer(i));
            }
        }

        sim.Process(Source());
        sim.Run();
        return new Result(customers - warmup, response.Mean, wait.Mean, (double)waited / wait.Count,
            inSystem.Mean(sim.Now), counter.QueueLengthOverTime.Mean(sim.Now), counter.Utilisation, sim.Now, sim.EventsProcessed);
    }
}
