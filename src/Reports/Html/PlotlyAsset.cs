using System.Reflection;

namespace Sim.Reports.Html;

/// <summary>
/// The plotly.js library, carried inside this assembly like a spare wheel in a car boot, so every
/// report is self-contained and readable offline. The build embeds
/// <c>node_modules/plotly.js-dist-min/plotly.min.js</c> (MIT licence, installed by <c>npm install</c>).
/// </summary>
public static class PlotlyAsset
{
    public const string ResourceName = "Sim.Reports.plotly.min.js";

    private static readonly Lazy<string> Text = new(Load);

    public static string Script => Text.Value;

    private static string Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"plotly.js is not embedded ({ResourceName}); run 'npm install' in the repository root and rebuild");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
