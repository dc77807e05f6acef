using Sim.Scenarios.Schema;

namespace Sim.Scenarios.Tests.Fixtures;

/// <summary>
/// A stand-in scenario schema for tests: a single-server queue (M/M/1) with a few knobs of every kind
/// (numbers with ranges, an enum, a list of sections, a distribution, an integer). The real training
/// scenario schema is declared by the models; this one exercises the machinery.
/// </summary>
public static class DemoSchema
{
    public static readonly MapSchema Schema = Schemas.Map(
        Field.Req("name", Schemas.String(), "Scenario name."),
        Field.Opt("seed", Schemas.Integer(min: 0), "Random seed.", "0"),
        Field.Req("queue", Schemas.Map(
            Field.Req("arrival_rate", Schemas.Positive(), "Customers per second (lambda)."),
            Field.Req("service_rate", Schemas.Positive(), "Services per second (mu)."),
            Field.Opt("discipline", Schemas.Enum("fifo", "lifo", "priority"), "Queue order.", "fifo")),
            "The queue being simulated."),
        Field.Opt("workers", Schemas.List(Schemas.Map(
            Field.Req("name", Schemas.String(), "Worker name."),
            Field.Req("speed", Schemas.Fraction(), "Relative speed in [0, 1].")), minItems: 1), "Worker pool."),
        Field.Opt("jitter", Schemas.Distribution("lognormal", "exponential", "normal", "constant"), "Per-job slowdown.", "0"),
        Field.Opt("customers", Schemas.Integer(min: 1, max: 1_000_000), "Customers to simulate.", "2000"),
        Field.Opt("work_ms", Schemas.Integer(min: 0, max: 10_000), "Extra wall-clock time per evaluation (tests of interruption).", "0"),
        Field.Opt("fail", Schemas.Boolean(), "Make the evaluation throw (tests of failure handling).", "false"));

    public const string Valid = """
        name: demo
        queue:
          arrival_rate: 0.5
          service_rate: 1.0
        workers:
          - name: a
            speed: 1
          - name: b
            speed: 0.25
        jitter: lognormal(0, 0.25)
        """;
}
