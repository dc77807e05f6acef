using Sim.Reports.Html;

namespace Sim.Notebooks;

/// <summary>
/// plotly.js for a notebook page, offline, like the one projector a room's slides all share: an inline
/// script with the copy embedded in Sim.Reports (<see cref="PlotlyAsset"/>, the version report.html
/// uses) that defines <c>window.Plotly</c> once; a second one on the same page does nothing.
/// Charts shown later (<see cref="ChartView"/>) draw with it. The library is about 4.8 MB, so a notebook
/// shows it once, near the top (<see cref="Show.PlotlyScript"/>).
/// </summary>
public sealed class PlotlyScriptView : View
{
    public override string ToHtml() =>
        // module/exports/define are shadowed so that plotly.js's loader always sets window.Plotly, also
        // on pages that have a CommonJS or AMD (RequireJS, classic Jupyter) loader.
        "<script type=\"text/javascript\">\n(function (module, exports, define) {\nif (window.Plotly) return;\n" +
        PlotlyAsset.InlineScript +
        "\n})(undefined, undefined, undefined);\n</script>\n" +
        $"<div class=\"sim-plotly\" style=\"color:#666;font-size:smaller\">plotly.js {PlotlyAsset.Version} loaded from Sim.Reports (offline)</div>";

    public override string ToString() => $"plotly.js {PlotlyAsset.Version} for the charts in this notebook (HTML output only)";
}
