namespace Sim.Calibration.Fitting;

/// <summary>
/// Splits a size sweep into points to fit and points to predict, like a teacher keeping some exam
/// questions back: sorted by size, every other interior point is held out, so each held-out size
/// lies between fitted ones (interpolation) and both ends stay in the fitting set.
/// </summary>
public static class HeldOutSplit
{
    public static (List<T> fit, List<T> heldOut) Interior<T>(IEnumerable<T> items, Func<T, double> size)
    {
        var sorted = items.OrderBy(size).ToList();
        var fit = new List<T>();
        var held = new List<T>();
        for (int i = 0; i < sorted.Count; i++)
        {
            bool hold = sorted.Count >= 4 && i % 2 == 1 && i < sorted.Count - 1;
            (hold ? held : fit).Add(sorted[i]);
        }
        return (fit, held);
    }
}
