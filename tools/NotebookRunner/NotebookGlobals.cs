namespace Sim.NotebookRunner;

/// <summary>
/// What a cell can call without qualification, like the kernel's built-ins: <c>display(value)</c>
/// shows a value as its own output and execution goes on, as in Polyglot notebooks, where
/// <c>display</c> comes from the C# kernel.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly List<object?> _displayed = [];

    /// <summary>Values shown by <c>display</c> since the last <see cref="TakeDisplayed"/>.</summary>
    internal IReadOnlyList<object?> TakeDisplayed()
    {
        var taken = _displayed.ToArray();
        _displayed.Clear();
        return taken;
    }

#pragma warning disable IDE1006 // the kernel's helper is spelled in lower case; cells written for Polyglot call it so
    public object? display(object? value)
    {
        _displayed.Add(value);
        return null;
    }
#pragma warning restore IDE1006
}
