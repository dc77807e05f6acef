namespace Sim.Notebooks;

/// <summary>
/// Something a notebook cell shows, like a slide that can also be read aloud: <see cref="ToHtml"/>
/// draws it (tables, plotly charts) where HTML renders, and <see cref="ToString"/> gives plain text
/// for consoles, scripts and logs. Return a view as a cell's last expression or pass it to
/// <c>display(...)</c>; the Polyglot kernel picks the HTML form through
/// <see cref="TypeFormatterSourceAttribute"/>.
/// </summary>
[TypeFormatterSource(typeof(NotebookFormatterSource), PreferredMimeTypes = [NotebookFormatterSource.Html, NotebookFormatterSource.PlainText])]
public abstract class View
{
    /// <summary>An HTML fragment (no html/body); self-contained apart from plotly.js, which charts load once.</summary>
    public abstract string ToHtml();

    /// <summary>Plain text for terminals; never empty.</summary>
    public abstract override string ToString();
}
