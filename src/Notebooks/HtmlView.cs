namespace Sim.Notebooks;

/// <summary>
/// Ready-made markup with its own text stand-in, like a figure with a caption for readers who cannot
/// see it: for pictures the library already draws as HTML or SVG (the pipeline schedule diagram).
/// The markup must come from the simulator, not from user input: it is shown as is.
/// </summary>
public sealed class HtmlView(string html, string text) : View
{
    public override string ToHtml() => html;

    public override string ToString() => string.IsNullOrEmpty(text) ? "(picture)" : text;
}
