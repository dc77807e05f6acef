namespace Sim.Reports.Figures;

/// <summary>A named line of points, optionally with symmetric error bars (confidence half-widths).</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? ErrorY = null);
