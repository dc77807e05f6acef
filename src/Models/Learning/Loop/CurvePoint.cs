namespace Sim.Models.Learning.Loop;

/// <summary>One held-out evaluation during a run: after <paramref name="Update"/> model updates,
/// <paramref name="Examples"/> training examples' gradients and <paramref name="Time"/> simulated seconds.</summary>
public readonly record struct CurvePoint(long Update, long Examples, double Time, double Loss, double Accuracy);
