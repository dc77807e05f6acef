using System.Text.RegularExpressions;
using Sim.Reports.Html;
using Sim.Scenarios.Tests.Fixtures;

namespace Sim.Reports.Tests;

/// <summary>
/// Opens the generated report in a real headless Chromium, offline, and checks that plotly.js drew
/// every figure (the DOM has plotly's containers and SVGs) and that the page is not blank (the
/// screenshot has many colours, including plotly's trace colours).
/// </summary>
public sealed class BrowserRenderingTests
{
    [ChromiumFact]
    public void Plotly_renders_every_figure_offline_and_the_screenshot_is_not_blank()
    {
        using var folder = new TempFolder();
        var model = SampleReport.Build();
        string report = folder.Combine("report.html");
        HtmlReport.Write(report, model);
        string url = new Uri(report).AbsoluteUri;

        string dom = Chromium.Run(folder.Combine("profile-dom"), url, "--dump-dom");
        Assert.Equal(model.Figures.Count, Regex.Count(dom, "class=\"plot-container plotly\""));
        Assert.True(Regex.Count(dom, "<svg class=\"main-svg\"") >= model.Figures.Count, "every figure has a plotly SVG");
        Assert.Contains("Iteration time", dom);      // figure titles drawn by plotly as SVG text
        Assert.Contains("Where time goes", dom);

        string png = folder.Combine("report.png");
        Chromium.Run(folder.Combine("profile-shot"), url, $"--screenshot={png}", "--window-size=1200,1900");
        var image = PngImage.Read(png);
        Assert.Equal((1200, 1900), (image.Width, image.Height));
        Assert.True(image.DistinctColours() > 50, $"screenshot looks blank: {image.DistinctColours()} colours");
        Assert.True(image.CountPixels(0x3b, 0x6f, 0xb6) > 2000, "histogram bars (#3b6fb6) are drawn");
        Assert.True(image.CountPixels(0x1f, 0x77, 0xb4) > 500, "plotly's first trace colour (#1f77b4) is drawn");
        // docs/report-screenshot.png is a screenshot of a real run's report (the quick-start), not of this fixture.
    }
}
