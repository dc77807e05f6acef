using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;

namespace Sim.Reports.Figures;

/// <summary>
/// The few Plotly.NET settings that Plotly.NET.CSharp 0.14 does not wrap (chart title, margins, height,
/// line shape, error bars, display config), called through Plotly.NET's F# API. F# optional
/// parameters are not optional to C#, so each call names every parameter; <c>null</c> is F#'s
/// <c>None</c> (leave the plotly.js default). One place for that noise keeps <see cref="Charts"/> readable.
/// </summary>
internal static class PlotlyStyle
{
    private static FSharpOption<T> Some<T>(T value) => FSharpOption<T>.Some(value);

    /// <summary>Title, size and margins every report chart shares; the width follows the page (responsive).</summary>
    public static GenericChart Frame(GenericChart chart, string title, int height)
    {
        chart = Plotly.NET.Chart.withTitle(title, TitleFont: null).Invoke(chart);
        chart = Plotly.NET.Chart.withSize(Width: null, Height: Some(height)).Invoke(chart);
        var margin = Margin.init<int, int, int, int, int, bool>(Left: Some(70), Right: Some(20), Top: Some(50), Bottom: Some(55), Pad: null, Autoexpand: Some(true));
        chart = Plotly.NET.Chart.withMargin(margin).Invoke(chart);
        var config = Config.init(
            StaticPlot: null, TypesetMath: null, PlotlyServerUrl: null, Editable: null, Edits: null, EditSelection: null,
            Autosizable: null, Responsive: Some(true), FillFrame: null, FrameMargins: null, ScrollZoom: null, DoubleClick: null,
            DoubleClickDelay: null, ShowAxisDragHandles: null, ShowAxisRangeEntryBoxes: null, ShowTips: null, ShowLink: null,
            LinkText: null, SendData: null, ShowSources: null, DisplayModeBar: null, ShowSendToCloud: null,
            ShowEditInChartStudio: null, ModeBarButtonsToRemove: null, ModeBarButtonsToAdd: null, ModeBarButtons: null,
            ToImageButtonOptions: null, Displaylogo: Some(false), Watermark: null, plotGlPixelRatio: null, SetBackground: null,
            TopojsonURL: null, MapboxAccessToken: null, Logging: null, NotifyOnLogging: null, QueueLength: null,
            GlobalTransforms: null, Locale: null, Locales: null);
        return Plotly.NET.Chart.withConfig(config).Invoke(chart);
    }

    /// <summary>A line drawn as steps (level held until the next point) or straight segments.</summary>
    public static Line LineShape(bool steps) => Line.init(
        BackOff: null, AutoColorScale: null, CAuto: null, CMax: null, CMid: null, CMin: null, Color: null, ColorAxis: null,
        Colorscale: null, ReverseScale: null, ShowScale: null, ColorBar: null, Dash: null,
        Shape: Some(steps ? StyleParam.Shape.Hv : StyleParam.Shape.Linear),
        Simplify: null, Smoothing: null, Width: null, MultiWidth: null, OutlierColor: null, OutlierWidth: null);

    /// <summary>Symmetric error bars of the given half-widths, one per point.</summary>
    public static GenericChart WithErrorBars(GenericChart chart, IReadOnlyList<double> halfWidths)
    {
        var error = Error.init<double, double>(
            Visible: Some(true), Type: Some(StyleParam.ErrorType.Data), Symmetric: null,
            Array: Some<IEnumerable<double>>(halfWidths), Arrayminus: null, ArrayEncoded: null, ArrayminusEncoded: null,
            Value: null, Valueminus: null, Traceref: null, Tracerefminus: null, Copy_ystyle: null, Color: null,
            Thickness: null, Width: null);
        return Plotly.NET.Chart.withYError(error).Invoke(chart);
    }
}
