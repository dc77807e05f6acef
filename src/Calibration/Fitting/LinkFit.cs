/// <summary>
/// A fitted alpha-beta cost for one class of link (for example "loopback-gloo" or "nvlink"),
/// with the collective measurements it came from: a toll tariff with the receipts stapled on.
/// </summary>
namespace Sim.Calibration.Fitting;

public sealed record LinkFit(
    string LinkClass,
    string Backend,
    string Collective,
    int Ranks,
    LinkCost Cost,
    int Points,
    double MedianRelativeError);
