using System.Text.Json.Nodes;

namespace Sim.Reports.Figures;

/// <summary>
/// One chart as plotly.js understands it, like a recipe card the browser cooks from: <c>data</c> (a
/// list of traces) and <c>layout</c> (titles, axes). Building figures as plain JSON in C# keeps the
/// report free of any chart library on the .NET side; plotly.js draws them inside the HTML page.
/// </summary>
public sealed record PlotlyFigure(string Title, JsonArray Data, JsonObject Layout)
{
    public JsonObject ToJson() => new()
    {
        ["data"] = Data.DeepClone(),
        ["layout"] = Layout.DeepClone(),
    };
}
