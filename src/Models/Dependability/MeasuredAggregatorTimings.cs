namespace Sim.Models.Dependability;

/// <summary>
/// Aggregation rounds of the C# kernels measured on the development machine (see docs/dependability.md
/// for the machine, conditions and command: `dotnet run -c Release --project bench/Sim.Bench -- aggregators`).
/// Medians of 3 rounds after one warm-up, single thread, on a 2-core VM shared with other builds: noisy.
/// </summary>
public static class MeasuredAggregatorTimings
{
    public static IReadOnlyList<TimingPoint> Points { get; } =
    [
        // MEASURED-POINTS
    ];
}
