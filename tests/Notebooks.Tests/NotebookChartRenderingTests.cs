using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Sim.NotebookRunner;
using Sim.Reports.Tests;

namespace Sim.Notebooks.Tests;

/// <summary>
/// The charts saved in the committed notebooks draw in a real headless Chromium with no network: a
/// page holds every HTML output of a notebook in order, as a notebook front end shows them (one
/// output after another on one page), so plotly.js comes only from the notebook's own
/// <c>Show.PlotlyScript()</c> output. Every chart must be drawn by plotly.js, none may fall back to its
/// "plotly.js is not loaded" hint, and the screenshot must show plotted colours, not a blank area.
/// </summary>
public sealed class NotebookChartRenderingTests
{
    private static List<string> HtmlOutputs(string notebook)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.Notebooks, notebook)))!;
        return root["cells"]!.AsArray()
            .Where(c => (string?)c!["cell_type"] == "code")
            .SelectMany(c => c!["outputs"]!.AsArray())
            .Select(o => o!["data"]?["text/html"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : null)
            .OfType<string>()
            .ToList();
    }

    private static string Page(IEnumerable<string> outputs) =>
        new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"width:1100px\">\n")
            .AppendJoin("\n", outputs.Select(o => $"<div class=\"output\">{o}</div>"))
            .Append("\n</body></html>\n").ToString();

    [ChromiumFact]
    public void Saved_notebook_charts_draw_offline_with_the_notebooks_own_plotly_js()
    {
        using var folder = new TempFolder();
        foreach (var notebook in Directory.EnumerateFiles(RepositoryPaths.Notebooks, "*.ipynb").Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            var outputs = HtmlOutputs(notebook!);
            int charts = outputs.Sum(o => Regex.Count(o, "<div id=\"sim-chart-"));
            if (charts == 0) continue;
            Assert.Contains(outputs, o => o.Contains("window.Plotly") && o.Length > 1_000_000); // Show.PlotlyScript() carries the library
            // Nothing outside the library itself points at the network (plotly.js's own defaults name a CDN for map data, unused here).
            Assert.DoesNotMatch(new Regex("<script[^>]+src=|https?://", RegexOptions.IgnoreCase), string.Concat(outputs.Where(o => !o.Contains("window.Plotly) return;"))));

            string page = Path.Combine(folder.Path, Path.ChangeExtension(notebook!, ".html"));
            File.WriteAllText(page, Page(outputs));
            string dom = Chromium.Run(Path.Combine(folder.Path, "profile-" + notebook), new Uri(page).AbsoluteUri, "--dump-dom");
            Assert.True(charts == Regex.Count(dom, "class=\"plot-container plotly\""), $"{notebook}: {charts} charts saved, plotly.js drew {Regex.Count(dom, "class=\"plot-container plotly\"")}");
            Assert.DoesNotContain(">" + ChartView.MissingLibraryHint, dom); // the hint a chart div shows when plotly.js never came
        }
    }

    [ChromiumFact]
    public void Without_plotly_js_a_chart_says_how_to_load_it_instead_of_staying_blank()
    {
        using var folder = new TempFolder();
        string page = Path.Combine(folder.Path, "alone.html");
        File.WriteAllText(page, Page([new ChartView(Sim.Reports.Figures.Charts.Histogram("h", [1.0, 2.0], "x")).ToHtml()]));
        string dom = Chromium.Run(Path.Combine(folder.Path, "profile"), new Uri(page).AbsoluteUri, "--dump-dom");
        Assert.Contains(">" + ChartView.MissingLibraryHint, dom);
        Assert.DoesNotContain("class=\"plot-container plotly\"", dom);
    }

    [ChromiumFact]
    public void A_notebook_chart_screenshot_is_not_blank()
    {
        using var folder = new TempFolder();
        // 01-getting-started as saved: the run report's histogram (#3b6fb6 bars), stacked bars and step
        // lines (#1f77b4, plotly.js's first colour), between tables.
        var charts = HtmlOutputs("01-getting-started.ipynb");
        string page = Path.Combine(folder.Path, "charts.html");
        File.WriteAllText(page, Page(charts));
        string png = Path.Combine(folder.Path, "charts.png");
        Chromium.Run(Path.Combine(folder.Path, "profile"), new Uri(page).AbsoluteUri, $"--screenshot={png}", "--window-size=1200,4000");
        var image = PngImage.Read(png);
        Assert.True(image.DistinctColours() > 50, $"screenshot looks blank: {image.DistinctColours()} colours");
        Assert.True(image.CountPixels(0x3b, 0x6f, 0xb6) > 2000, "histogram bars (#3b6fb6) are drawn");
        Assert.True(image.CountPixels(0x1f, 0x77, 0xb4) > 500, "plotly's first trace colour (#1f77b4) is drawn");
    }
}

/// <summary>A temporary folder deleted with its contents at the end of a test.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("sim-nb-browser-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
