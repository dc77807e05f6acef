using System.Net;
using System.Text;

namespace Sim.Notebooks;

/// <summary>
/// Several views one under another with an optional heading, like pages stapled behind a cover sheet:
/// one cell result can hold a run's summary table and its charts.
/// </summary>
public sealed class StackView(string? title, IReadOnlyList<View> parts) : View
{
    public string? Title { get; } = title;
    public IReadOnlyList<View> Parts { get; } = parts;

    public override string ToHtml()
    {
        var html = new StringBuilder("<div class=\"sim-stack\">");
        if (Title is not null) html.Append("<h3>").Append(WebUtility.HtmlEncode(Title)).Append("</h3>");
        foreach (var part in Parts) html.Append(part.ToHtml());
        return html.Append("</div>").ToString();
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        if (Title is not null) text.Append(Title).Append('\n').Append(new string('=', Title.Length)).Append('\n');
        foreach (var part in Parts) text.Append(part.ToString().TrimEnd('\n')).Append('\n');
        return text.Length == 0 ? "(nothing to show)" : text.ToString();
    }
}
