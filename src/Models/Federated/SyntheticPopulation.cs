using Sim.Core.Randomness;

namespace Sim.Models.Federated;

/// <summary>
/// A population generator, like a casting agency filling a stadium with extras drawn from a
/// description: speeds, link rates and data sizes from the <see cref="PopulationSpec"/> distributions,
/// and a daily availability pattern (a nightly charging window, sometimes a daytime one) stored as
/// intervals within one day that repeat every 86,400 s. Each column draws from its own named random
/// stream, so changing one distribution leaves the other columns unchanged.
/// </summary>
public static class SyntheticPopulation
{
    public const double Day = 86400;

    public static ClientPopulation Generate(PopulationSpec spec, int count, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "must be >= 0");
        var speed = new float[count];
        var up = new float[count];
        var down = new float[count];
        var samples = new int[count];
        Fill(speed, spec.SecondsPerSample, new RandomStream(seed, "population.seconds_per_sample"), "seconds_per_sample", 1, positive: false);
        Fill(down, spec.DownlinkMbps, new RandomStream(seed, "population.downlink_mbps"), "downlink_mbps", 1e6 / 8, positive: true);
        Fill(up, spec.UplinkMbps, new RandomStream(seed, "population.uplink_mbps"), "uplink_mbps", 1e6 / 8, positive: true);
        var sampleRng = new RandomStream(seed, "population.samples");
        for (int i = 0; i < count; i++)
        {
            double s = spec.Samples.Sample(sampleRng);
            if (double.IsNaN(s)) throw new ArgumentException("samples: the distribution drew NaN");
            samples[i] = (int)Math.Clamp(Math.Round(s), 1, int.MaxValue);
        }

        var availRng = new RandomStream(seed, "population.availability");
        var offsets = new int[count + 1];
        var begin = new List<double>(count * 2);
        var end = new List<double>(count * 2);
        Span<(double B, double E)> pieces = stackalloc (double, double)[4];
        for (int i = 0; i < count; i++)
        {
            offsets[i] = begin.Count;
            if (availRng.NextDouble() < spec.AlwaysAvailableFraction)
            {
                begin.Add(0); end.Add(Day);
                continue;
            }
            double shift = (availRng.NextDouble() - 0.5) * spec.TimezoneSpreadHours * 3600;
            int n = 0;
            double nightStart = spec.NightStartHour.Sample(availRng) * 3600 - shift;
            double nightLength = Math.Clamp(spec.NightHours.Sample(availRng), 0.25, 16) * 3600;
            n = AddWrapped(pieces, n, nightStart, nightLength);
            if (availRng.NextDouble() < spec.DaySessionProbability)
            {
                double dayStart = spec.DayStartHour.Sample(availRng) * 3600 - shift;
                double dayLength = Math.Clamp(spec.DayHours.Sample(availRng), 0.05, 8) * 3600;
                n = AddWrapped(pieces, n, dayStart, dayLength);
            }
            MergeInto(pieces[..n], begin, end);
        }
        offsets[count] = begin.Count;
        return new ClientPopulation(speed, up, down, samples, offsets, begin.ToArray(), end.ToArray(), Day);
    }

    private static void Fill(float[] column, IDistribution d, RandomStream rng, string key, double scale, bool positive)
    {
        for (int i = 0; i < column.Length; i++)
        {
            double x = d.Sample(rng);
            // A link rate of 0 would mean a transfer never ends: rates must be strictly positive.
            if (!(positive ? x > 0 : x >= 0) || double.IsInfinity(x) || !((float)(x * scale) > 0 || !positive))
                throw new ArgumentException($"{key}: the distribution {d} drew {x}; expected finite values {(positive ? "> 0" : ">= 0")}");
            column[i] = (float)(x * scale);
        }
    }

    /// <summary>Adds the window [start, start+length) taken modulo one day, split at midnight.</summary>
    private static int AddWrapped(Span<(double B, double E)> pieces, int n, double start, double length)
    {
        double s = start % Day;
        if (s < 0) s += Day;
        if (s >= Day) s = 0;
        double e = s + Math.Min(length, Day);
        if (e <= Day) pieces[n++] = (s, e);
        else
        {
            pieces[n++] = (s, Day);
            pieces[n++] = (0, e - Day);
        }
        return n;
    }

    private static void MergeInto(Span<(double B, double E)> pieces, List<double> begin, List<double> end)
    {
        pieces.Sort((a, b) => a.B.CompareTo(b.B));
        double cb = pieces[0].B, ce = pieces[0].E;
        for (int k = 1; k < pieces.Length; k++)
        {
            if (pieces[k].B <= ce) { ce = Math.Max(ce, pieces[k].E); continue; }
            begin.Add(cb); end.Add(ce);
            (cb, ce) = pieces[k];
        }
        begin.Add(cb); end.Add(ce);
    }
}
