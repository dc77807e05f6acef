using System.Globalization;
using System.Text;

namespace Sim.Models.Federated;

/// <summary>
/// The inverse of <see cref="DeviceTraceReader"/>: saves a population (measured or synthetic) as a
/// device trace CSV, so that a generated population can be shipped, inspected and reloaded bit for
/// bit (numbers are written in round-trip form). Writes to a temporary file and renames it, so a
/// failed write never leaves a partial trace behind.
/// </summary>
public static class DeviceTraceWriter
{
    public static void Write(ClientPopulation population, string path, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(population);
        string temp = path + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false)))
                Write(population, writer, comment);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void Write(ClientPopulation population, TextWriter writer, string? comment = null)
    {
        writer.NewLine = "\n";
        writer.WriteLine("# sim federated device trace (docs/federated-trace-format.md)");
        if (comment != null)
            foreach (var line in comment.Split('\n')) writer.WriteLine("# " + line.TrimEnd());
        if (population.AvailabilityPeriod > 0) writer.WriteLine($"# availability_period_s={F(population.AvailabilityPeriod)}");
        writer.WriteLine(string.Join(",", DeviceTraceReader.Columns));
        var sb = new StringBuilder();
        for (int i = 0; i < population.Count; i++)
        {
            sb.Clear();
            sb.Append(i.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(F(population.SecondsPerSample[i])).Append(',')
              .Append(F(population.DownlinkBytesPerSecond[i] * 8 / 1e6)).Append(',')
              .Append(F(population.UplinkBytesPerSecond[i] * 8 / 1e6)).Append(',')
              .Append(population.Samples[i].ToString(CultureInfo.InvariantCulture)).Append(',');
            if (population.AlwaysAvailable) sb.Append("always");
            else
            {
                bool first = true;
                foreach (var (b, e) in population.IntervalsOf(i))
                {
                    if (!first) sb.Append(';');
                    first = false;
                    if (double.IsPositiveInfinity(e)) { sb.Append("always"); break; }
                    sb.Append(F(b)).Append('-').Append(F(e));
                }
                if (first) sb.Append("never");
            }
            writer.WriteLine(sb);
        }
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    private static string F(float v) => v.ToString("R", CultureInfo.InvariantCulture);
}
