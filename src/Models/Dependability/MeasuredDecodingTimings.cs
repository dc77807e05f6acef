namespace Sim.Models.Dependability;

/// <summary>
/// Timings of the real decoders (<see cref="DecodingTiming"/>), printed by `dotnet run -c Release
/// --project bench/Sim.Bench -- decoding` on 2026-12-07 04:12 UTC: 2-vCPU VM (Debian 12, .NET 10,
/// AVX2), shared with other engineers' builds (load average 20-25), median thread CPU seconds of 3
/// decodes after a warm-up. Columns: scheme, n, s (or r), d, seconds. Fitted by <see cref="DecodingCostModel"/>.
/// </summary>
public static class MeasuredDecodingTimings
{
    public static IReadOnlyList<DecodingPoint> Points { get; } =
    [
        new("cyclic", 8, 1, 100000, 0.000356732),
        new("cyclic", 8, 1, 300000, 0.00048288),
        new("cyclic", 8, 1, 1000000, 0.00183664),
        new("cyclic", 16, 2, 100000, 0.000645903),
        new("cyclic", 16, 2, 300000, 0.00111835),
        new("cyclic", 16, 2, 1000000, 0.00294179),
        new("cyclic", 32, 4, 100000, 0.000918399),
        new("cyclic", 32, 4, 300000, 0.00177093),
        new("cyclic", 32, 4, 1000000, 0.00581001),
        new("cyclic", 64, 4, 100000, 0.00287656),
        new("cyclic", 64, 4, 300000, 0.0127944),
        new("cyclic", 64, 4, 1000000, 0.013515),
        new("fractional", 8, 1, 100000, 4.1782e-05),
        new("fractional", 8, 1, 300000, 0.000195241),
        new("fractional", 8, 1, 1000000, 0.00107549),
        new("fractional", 16, 3, 100000, 7.7255e-05),
        new("fractional", 16, 3, 300000, 0.000164585),
        new("fractional", 16, 3, 1000000, 0.000647145),
        new("fractional", 32, 3, 100000, 0.000160149),
        new("fractional", 32, 3, 300000, 0.000358415),
        new("fractional", 32, 3, 1000000, 0.0017498),
        new("fractional", 64, 7, 100000, 0.000129794),
        new("fractional", 64, 7, 300000, 0.00040935),
        new("fractional", 64, 7, 1000000, 0.0018058),
        new("replication", 9, 3, 100000, 0.000112838),
        new("replication", 9, 3, 300000, 0.000339216),
        new("replication", 9, 3, 1000000, 0.00176066),
        new("replication", 15, 3, 100000, 0.0001608),
        new("replication", 15, 3, 300000, 0.00057025),
        new("replication", 15, 3, 1000000, 0.00296694),
        new("replication", 33, 3, 100000, 0.000403973),
        new("replication", 33, 3, 300000, 0.00168672),
        new("replication", 33, 3, 1000000, 0.00640147),
        new("replication", 63, 3, 100000, 0.00106269),
        new("replication", 63, 3, 300000, 0.00354413),
        new("replication", 63, 3, 1000000, 0.0107079),
    ];
}
