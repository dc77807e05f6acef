using System.Reflection;
using System.Text.RegularExpressions;

namespace Sim.Reports.Html;

/// <summary>
/// The plotly.js library, carried inside this assembly like a spare wheel in a car boot, so every
/// report and notebook chart is readable offline. The build embeds
/// <c>node_modules/plotly.js-dist-min/plotly.min.js</c> (MIT licence, installed by <c>npm install</c>
/// from package.json, which pins <see cref="Version"/>). Plotly.NET builds the figures
/// (<see cref="Figures.Charts"/>); this is the browser library that draws them.
/// </summary>
public static partial class PlotlyAsset
{
    public const string ResourceName = "Sim.Reports.plotly.min.js";

    /// <summary>The plotly.js version package.json installs (a test checks they agree).</summary>
    public const string Version = "3.1.0";

    private static readonly Lazy<string> Text = new(Load);

    private static readonly Lazy<string> Inline = new(() => ScriptEnd().Replace(Text.Value, "<\\/script"));

    public static string Script => Text.Value;

    /// <summary>The library as the body of an inline <c>&lt;script&gt;</c> element: any
    /// <c>&lt;/script</c> inside it is written <c>&lt;\/script</c>, which means the same to JavaScript
    /// but cannot end the element early.</summary>
    public static string InlineScript => Inline.Value;

    private static string Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"plotly.js is not embedded ({ResourceName}); run 'npm install' in the repository root and rebuild");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("</script", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptEnd();
}
