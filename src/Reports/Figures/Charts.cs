using System.Text.Json.Nodes;

namespace Sim.Reports.Figures;

/// <summary>A named line of points, optionally with symmetric error bars (confidence half-widths).</summary>
public sealed record Series(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y, IReadOnlyList<double>? ErrorY = null);

/// <summary>
/// The chart kinds a simulation report needs, built as plotly JSON, like a drawing office's standard
/// templates: a histogram of iteration times, a stacked bar of where time went, a step line of
/// utilisation over time and scaling curves for sweeps. Non-finite numbers become gaps (null),
/// because JSON cannot carry NaN.
/// </summary>
public static class Charts
{
    public static PlotlyFigure Histogram(string title, IReadOnlyList<double> values, string xLabel, int bins = 40)
    {
        var trace = new JsonObject
        {
            ["type"] = "histogram",
            ["name"] = xLabel,
            ["x"] = Numbers(values),
            ["nbinsx"] = bins,
            ["marker"] = new JsonObject { ["color"] = "#3b6fb6" },
        };
        return new PlotlyFigure(title, [trace], Layout(title, xLabel, "count"));
    }

    /// <summary>One bar per category, stacked from the given parts (for example compute, communication, bubble).</summary>
    public static PlotlyFigure StackedBar(string title, IReadOnlyList<string> categories, IReadOnlyList<(string Part, IReadOnlyList<double> Values)> parts, string yLabel)
    {
        var data = new JsonArray();
        foreach (var (part, values) in parts)
        {
            if (values.Count != categories.Count)
                throw new ArgumentException($"part '{part}' has {values.Count} values for {categories.Count} categories");
            data.Add(new JsonObject
            {
                ["type"] = "bar",
                ["name"] = part,
                ["x"] = new JsonArray(categories.Select(c => (JsonNode?)c).ToArray()),
                ["y"] = Numbers(values),
            });
        }
        var layout = Layout(title, "", yLabel);
        layout["barmode"] = "stack";
        return new PlotlyFigure(title, data, layout);
    }

    /// <summary>Levels that hold until the next change (utilisation, queue length), drawn as steps.</summary>
    public static PlotlyFigure StepLines(string title, IReadOnlyList<Series> series, string xLabel, string yLabel) =>
        LineFigure(title, series, xLabel, yLabel, "lines", "hv", logX: false);

    /// <summary>Metric against scale (GPUs, nodes, batch size), with error bars where given.</summary>
    public static PlotlyFigure Scaling(string title, IReadOnlyList<Series> series, string xLabel, string yLabel, bool logX = false) =>
        LineFigure(title, series, xLabel, yLabel, "lines+markers", "linear", logX);

    private static PlotlyFigure LineFigure(string title, IReadOnlyList<Series> series, string xLabel, string yLabel, string mode, string shape, bool logX)
    {
        var data = new JsonArray();
        foreach (var s in series)
        {
            if (s.X.Count != s.Y.Count) throw new ArgumentException($"series '{s.Name}' has {s.X.Count} x and {s.Y.Count} y values");
            var trace = new JsonObject
            {
                ["type"] = "scatter",
                ["mode"] = mode,
                ["name"] = s.Name,
                ["x"] = Numbers(s.X),
                ["y"] = Numbers(s.Y),
                ["line"] = new JsonObject { ["shape"] = shape },
            };
            if (s.ErrorY is { } errors)
            {
                if (errors.Count != s.Y.Count) throw new ArgumentException($"series '{s.Name}' has {errors.Count} error bars for {s.Y.Count} points");
                trace["error_y"] = new JsonObject { ["type"] = "data", ["array"] = Numbers(errors), ["visible"] = true };
            }
            data.Add(trace);
        }
        var layout = Layout(title, xLabel, yLabel);
        if (logX) layout["xaxis"]!["type"] = "log";
        return new PlotlyFigure(title, data, layout);
    }

    private static JsonObject Layout(string title, string xLabel, string yLabel) => new()
    {
        ["title"] = new JsonObject { ["text"] = title },
        ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = xLabel }, ["automargin"] = true },
        ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = yLabel }, ["automargin"] = true },
        ["margin"] = new JsonObject { ["t"] = 50, ["r"] = 20, ["b"] = 50, ["l"] = 60 },
        ["height"] = 380,
    };

    private static JsonArray Numbers(IReadOnlyList<double> values) =>
        new(values.Select(v => double.IsFinite(v) ? JsonValue.Create(v) : null).ToArray<JsonNode?>());
}
