using System.Globalization;

namespace Sim.Scenarios.Cluster.Traces;

/// <summary>Times in traces: seconds as a number, or a "yyyy-MM-dd HH:mm:ss" timestamp (taken as UTC).</summary>
internal static class TraceTime
{
    private static readonly string[] Formats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssZ"];

    /// <summary>Seconds (since the epoch for timestamps); false if the text is neither form.</summary>
    public static bool TryParse(string text, out double seconds)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out seconds)) return double.IsFinite(seconds);
        if (DateTime.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
        {
            seconds = (t - DateTime.UnixEpoch).TotalSeconds;
            return true;
        }
        return false;
    }

    public static bool IsMissing(string text) => text.Length == 0 || text is "None" or "null" or "NaN" or "nan" or "NULL";
}
