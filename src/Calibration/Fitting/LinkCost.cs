namespace Sim.Calibration.Fitting;

/// <summary>
/// The alpha-beta (Hockney) cost of one link, like a toll road: a fixed toll alpha per message
/// (latency, seconds) plus a per-kilometre charge beta per byte (inverse bandwidth, s/byte):
/// t(bytes) = alpha + beta * bytes.
/// </summary>
public sealed record LinkCost(double AlphaSeconds, double BetaSecondsPerByte)
{
    public double Seconds(double bytes) => AlphaSeconds + BetaSecondsPerByte * bytes;

    public double BandwidthBytesPerSecond => 1 / BetaSecondsPerByte;
}
