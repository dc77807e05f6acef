using System.Globalization;

namespace Sim.Scenarios.Cost;

/// <summary>
/// What a run will cost before it starts, like a builder's quote: kernel events, peak memory of the
/// process and wall time, each an order-of-magnitude estimate from the scenario's sizes and
/// per-unit costs measured on this machine kind (see <see cref="CostRates"/>). <see cref="Driver"/>
/// names the keys that dominate, so a refusal can say what to change.
/// </summary>
public sealed record RunCost(double Events, double MemoryBytes, double Seconds, string Driver)
{
    public override string ToString() =>
        $"~{Format(Events)} events, ~{Bytes(MemoryBytes)} of memory, ~{Duration(Seconds)} ({Driver})";

    public static string Format(double x) =>
        x < 1e4 ? x.ToString("0", CultureInfo.InvariantCulture) : x.ToString("0.0e0", CultureInfo.InvariantCulture);

    public static string Bytes(double b) =>
        b >= 1L << 30 ? (b / (1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
        : (b / (1 << 20)).ToString("0", CultureInfo.InvariantCulture) + " MiB";

    public static string Duration(double s) =>
        s < 120 ? s.ToString("0", CultureInfo.InvariantCulture) + " s"
        : s < 7200 ? (s / 60).ToString("0", CultureInfo.InvariantCulture) + " min"
        : (s / 3600).ToString("0.0", CultureInfo.InvariantCulture) + " h";
}
