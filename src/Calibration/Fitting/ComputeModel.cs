namespace Sim.Calibration.Fitting;

/// <summary>
/// Predicts how long an operation takes on the calibrated device, like a navigation app that uses
/// measured speeds for roads it knows, typical speeds for the road type otherwise, and the speed
/// limit as a last resort: the operation's own fitted curve, else its class's pooled curve, else
/// the roofline bound.
/// </summary>
public sealed class ComputeModel
{
    private readonly Dictionary<string, OperationFit> _byName;
    private readonly Dictionary<string, OperationFit> _byClass;

    public ComputeModel(IEnumerable<OperationFit> operations, IEnumerable<OperationFit> classes, Roofline roofline)
    {
        _byName = operations.ToDictionary(o => o.Name, StringComparer.Ordinal);
        _byClass = classes.ToDictionary(o => o.OpClass, StringComparer.Ordinal);
        Roofline = roofline;
    }

    public Roofline Roofline { get; }

    /// <summary>Seconds for an operation doing <paramref name="flops"/> and moving <paramref name="bytes"/>.</summary>
    public double Seconds(string op, string? opClass, double flops, double bytes)
    {
        var fit = _byName.GetValueOrDefault(op) ?? (opClass is null ? null : _byClass.GetValueOrDefault(opClass));
        if (fit is null) return Roofline.Seconds(flops, bytes);
        double work = fit.Work == Traces.WorkKind.Flops ? flops : bytes;
        return work > 0 ? fit.Seconds(work) : Roofline.Seconds(flops, bytes);
    }

    /// <summary>Which source a prediction for this op would use: "op", "class" or "roofline".</summary>
    public string SourceFor(string op, string? opClass) =>
        _byName.ContainsKey(op) ? "op" : opClass is not null && _byClass.ContainsKey(opClass) ? "class" : "roofline";
}
