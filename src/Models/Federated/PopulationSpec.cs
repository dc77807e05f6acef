using Sim.Core.Randomness;

namespace Sim.Models.Federated;

/// <summary>
/// The recipe for a made-up but plausible phone population, for when no device trace is at hand.
/// Every default names where its figure comes from; figures marked "assumption" are ours, chosen to be
/// the right order of magnitude, and should be replaced by measured traces when available.
/// </summary>
public sealed record PopulationSpec
{
    /// <summary><c>seconds_per_sample</c>: local training seconds per sample per epoch. Default median
    /// 50 ms, sigma 0.8. Source: FedScale (Lai et al., ICML 2022) draws device compute speed from AI
    /// Benchmark (Ignatov et al., 2019), whose mobile inference latencies for MobileNet-class CNNs are
    /// tens of milliseconds; training costs about 3x a forward pass (forward + backward). The median and
    /// the spread (p5..p95 about 14x, low-end to flagship) are assumptions of that order.</summary>
    public IDistribution SecondsPerSample { get; init; } = new LogNormal(Math.Log(0.05), 0.8);
    /// <summary><c>downlink_mbps</c>: client download rate. Default median 40 Mbit/s, sigma 0.9. Source:
    /// Ookla Speedtest Global Index (mobile, 2023) reports a global median mobile download speed of
    /// roughly 40-50 Mbit/s; the spread is an assumption. MobiPerf-era traces (as used by FedScale) are
    /// slower, a few Mbit/s: pass a lower median to model them.</summary>
    public IDistribution DownlinkMbps { get; init; } = new LogNormal(Math.Log(40), 0.9);
    /// <summary><c>uplink_mbps</c>: client upload rate. Default median 10 Mbit/s, sigma 0.9. Source: Ookla
    /// Speedtest Global Index (mobile, 2023), global median mobile upload roughly 10 Mbit/s; spread assumed.</summary>
    public IDistribution UplinkMbps { get; init; } = new LogNormal(Math.Log(10), 0.9);
    /// <summary><c>samples</c>: training samples per client (rounded, at least 1). Default median 200,
    /// sigma 0.5, mean about 227: LEAF (Caldas et al., 2018) reports about 227 samples per writer on
    /// average for FEMNIST; the lognormal shape and spread are assumptions.</summary>
    public IDistribution Samples { get; init; } = new LogNormal(Math.Log(200), 0.5);

    /// <summary><c>always_available_fraction</c>: share of clients online at all times (e.g. plugged-in
    /// tablets, edge boxes). Default 0 (assumption).</summary>
    public double AlwaysAvailableFraction { get; init; }
    /// <summary><c>night_start_hour</c>: local hour at which the nightly charging window starts. Default
    /// normal(22, 1.5). Bonawitz et al. (MLSys 2019) only admit devices that are idle, charging and on an
    /// unmetered network, which happens mostly at night, giving a strong diurnal swing in available
    /// devices; the hour and its spread are assumptions.</summary>
    public IDistribution NightStartHour { get; init; } = new Normal(22, 1.5);
    /// <summary><c>night_hours</c>: length of the nightly window, hours (clamped to [0.25, 16]). Default
    /// normal(7, 2): an assumption (a night's sleep).</summary>
    public IDistribution NightHours { get; init; } = new Normal(7, 2);
    /// <summary><c>day_session_probability</c>: chance that a client also has one daytime window (charging
    /// at a desk). Default 0.3 (assumption).</summary>
    public double DaySessionProbability { get; init; } = 0.3;
    /// <summary><c>day_start_hour</c>: local start of the daytime window. Default uniform(8, 18) (assumption).</summary>
    public IDistribution DayStartHour { get; init; } = new Uniform(8, 18);
    /// <summary><c>day_hours</c>: daytime window length, hours (clamped to [0.05, 8]). Default exponential, mean 1 h (assumption).</summary>
    public IDistribution DayHours { get; init; } = new Exponential(1);
    /// <summary><c>timezone_spread_hours</c>: clients' clocks are offset uniformly within +-spread/2 hours
    /// of the server's. Default 3 (a population spread over about four time zones, like the contiguous
    /// United States; assumption).</summary>
    public double TimezoneSpreadHours { get; init; } = 3;

    public void Validate()
    {
        if (!(AlwaysAvailableFraction >= 0 && AlwaysAvailableFraction <= 1)) throw new ArgumentException($"always_available_fraction: got {AlwaysAvailableFraction}, expected a number in [0, 1]");
        if (!(DaySessionProbability >= 0 && DaySessionProbability <= 1)) throw new ArgumentException($"day_session_probability: got {DaySessionProbability}, expected a number in [0, 1]");
        if (!(TimezoneSpreadHours >= 0 && TimezoneSpreadHours <= 24)) throw new ArgumentException($"timezone_spread_hours: got {TimezoneSpreadHours}, expected a number in [0, 24]");
    }
}
