using System.Text;
using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>The device trace CSV: round trip, and clear errors naming file, line and column for bad input.</summary>
public class DeviceTraceReaderTests
{
    private static ClientPopulation Parse(string text, TraceLimits? limits = null) =>
        DeviceTraceReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)), "clients.csv", limits);

    private static TraceFormatException Bad(string text, TraceLimits? limits = null) =>
        Assert.Throws<TraceFormatException>(() => Parse(text, limits));

    private const string Header = "client_id,seconds_per_sample,downlink_mbps,uplink_mbps,samples,availability\n";

    [Fact]
    public void ReadsColumnsUnitsAndAvailabilityForms()
    {
        var p = Parse("# a comment\n# availability_period_s=86400\n" + Header +
                      "0,0.05,40,10,200,always\n1,0.1,8,2,50,0-21600;79200-86400\n2, 0.2 ,1,1,1,never\n");
        Assert.Equal(3, p.Count);
        Assert.Equal(86400, p.AvailabilityPeriod);
        Assert.Equal(40e6 / 8, p.DownlinkBytesPerSecond[0]);
        Assert.Equal(2e6 / 8, p.UplinkBytesPerSecond[1]);
        Assert.Equal(0.2f, p.SecondsPerSample[2]);
        Assert.Equal(double.PositiveInfinity, p.OnlineUntil(0, 5));
        Assert.Equal(86400 + 21600, p.OnlineUntil(1, 80000)); // wraps past midnight
        Assert.False(p.IsOnline(2, 0));
    }

    [Fact]
    public void ColumnsMayComeInAnyOrder()
    {
        var p = Parse("samples,availability,client_id,uplink_mbps,downlink_mbps,seconds_per_sample\n7,always,0,1,2,0.5\n");
        Assert.Equal(7, p.Samples[0]);
        Assert.Equal(2e6 / 8, p.DownlinkBytesPerSecond[0]);
    }

    [Fact]
    public void GeneratedPopulationRoundTripsBitForBit()
    {
        var original = SyntheticPopulation.Generate(new PopulationSpec { AlwaysAvailableFraction = 0.1 }, 500, seed: 2);
        var sb = new StringWriter();
        DeviceTraceWriter.Write(original, sb);
        var back = Parse(sb.ToString());
        Assert.Equal(original.SecondsPerSample, back.SecondsPerSample);
        Assert.Equal(original.UplinkBytesPerSecond, back.UplinkBytesPerSecond);
        Assert.Equal(original.DownlinkBytesPerSecond, back.DownlinkBytesPerSecond);
        Assert.Equal(original.Samples, back.Samples);
        for (int i = 0; i < original.Count; i++) Assert.Equal(original.IntervalsOf(i), back.IntervalsOf(i));
    }

    [Theory]
    [InlineData("0,abc,40,10,200,always", 3, 3, "seconds_per_sample")]
    [InlineData("0,0.05,-4,10,200,always", 3, 8, "downlink_mbps")]
    [InlineData("0,0.05,40,0,200,always", 3, 11, "uplink_mbps")]
    [InlineData("0,0.05,40,10,2.5,always", 3, 14, "samples")]
    [InlineData("1,0.05,40,10,200,always", 3, 1, "client_id: expected 0")]
    [InlineData("0,0.05,40,10,200", 3, 1, "expected 6 comma-separated fields")]
    [InlineData("0,0.05,40,10,200,10-5", 3, 18, "start < end")]
    [InlineData("0,0.05,40,10,200,0-10;5-20", 3, 23, "must not overlap")]
    [InlineData("0,0.05,40,10,200,0-90000", 3, 18, "availability period")]
    [InlineData("0,0.05,40,10,200,sometimes", 3, 18, "'always', 'never'")]
    [InlineData("0,0.05,NaN,10,200,always", 3, 8, "downlink_mbps")]
    public void BadFieldsAreReportedWithFileLineAndColumn(string row, int line, int column, string expected)
    {
        var ex = Bad("# availability_period_s=86400\n" + Header + row + "\n");
        Assert.Equal("clients.csv", ex.File);
        Assert.Equal(line, ex.Line);
        Assert.Equal(column, ex.Column);
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith($"clients.csv:{line}:{column}: ", ex.Message);
    }

    [Fact]
    public void HeaderProblemsAreNamed()
    {
        Assert.Contains("unknown column 'speed'", Bad("client_id,speed\n").Message);
        Assert.Contains("lacks the column 'availability'", Bad("client_id,seconds_per_sample,downlink_mbps,uplink_mbps,samples\n").Message);
        Assert.Contains("appears twice", Bad("samples,samples\n").Message);
        Assert.Contains("no header line", Bad("# only a comment\n").Message);
        Assert.Contains("must come before the header", Bad(Header + "# availability_period_s=10\n").Message);
        Assert.Contains("availability_period_s", Bad("# availability_period_s=-1\n" + Header).Message);
    }

    [Fact]
    public void HostileInputFailsCleanlyWithinLimits()
    {
        // A "line" of 10 MB without a line break is refused at the limit, not buffered.
        var huge = Bad(Header + new string('9', 10_000_000));
        Assert.Equal(2, huge.Line);
        Assert.Contains("longer than", huge.Message);
        Assert.Contains("NUL", Bad(Header + "0,0.05\0").Message);
        var limits = new TraceLimits { MaxClients = 2, MaxIntervalsPerClient = 2 };
        Assert.Contains("more than 2 clients", Bad(Header + "0,1,1,1,1,always\n1,1,1,1,1,always\n2,1,1,1,1,always\n", limits).Message);
        Assert.Contains("more than 2 intervals", Bad(Header + "0,1,1,1,1,0-1;2-3;4-5\n", limits).Message);
        // Random bytes never escape as anything but a TraceFormatException.
        var rng = new Random(3);
        for (int trial = 0; trial < 200; trial++)
        {
            var bytes = new byte[rng.Next(1, 400)];
            rng.NextBytes(bytes);
            var text = Header + Encoding.Latin1.GetString(bytes);
            try { Parse(text); }
            catch (TraceFormatException) { }
        }
    }

    [Fact]
    public void ShippedSampleTraceLoads()
    {
        string path = Path.Combine(RepoRoot(), "traces", "federated", "synthetic-3000.csv");
        var p = DeviceTraceReader.Read(path);
        Assert.Equal(3000, p.Count);
        Assert.Equal(86400, p.AvailabilityPeriod);
        Assert.True(new FileInfo(path).Length < 1_000_000);
        var r = FederatedSimulation.Run(new FederatedConfig { Rounds = 5, ClientsPerRound = 20, StartTimeSeconds = 2 * 3600 }, p, seed: 1);
        Assert.Equal(5, r.RoundsAttempted);
    }

    private static string RepoRoot() => Sim.Tests.Shared.RepositoryRoot.Path;
}
