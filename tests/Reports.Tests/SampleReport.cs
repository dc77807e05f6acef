using Sim.Reports.Figures;
using Sim.Reports.Html;

namespace Sim.Reports.Tests;

/// <summary>A report with one figure of every kind, filled with seeded synthetic data.</summary>
public static class SampleReport
{
    public static ReportModel Build()
    {
        var random = new Random(7);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var iterationTimes = Enumerable.Range(0, 2000).Select(_ => 0.120 * Math.Exp(0.08 * Normal())).ToList();

        var model = new ReportModel { Title = "Data parallel, 8 GPUs <demo>", Subtitle = "synthetic data for the report layout test" };
        model.Summary.Add(new("iterations", 2000L));
        model.Summary.Add(new("mean iteration time (s)", iterationTimes.Average()));
        model.Summary.Add(new("scenario", "scenarios/dp.yaml"));
        model.Figures.Add(Charts.Histogram("Iteration time", iterationTimes, "seconds"));
        model.Figures.Add(Charts.StackedBar("Where time goes", ["1 GPU", "8 GPUs", "64 GPUs"],
            [("compute", [0.100, 0.100, 0.100]), ("exposed communication", [0.0, 0.012, 0.041]), ("straggler wait", [0.0, 0.004, 0.015])], "seconds per iteration"));
        var times = Enumerable.Range(0, 60).Select(i => i * 0.05).ToList();
        model.Figures.Add(Charts.StepLines("GPU utilisation", [new Series("gpu0", times, times.Select(t => (t * 20 % 3) < 2 ? 1.0 : 0.0).ToList())], "time (s)", "busy"));
        model.Figures.Add(Charts.Scaling("Scaling", [new Series("throughput", [1, 2, 4, 8, 16, 32], [100, 195, 380, 730, 1350, 2400], [2, 4, 6, 10, 20, 35]),
            new Series("ideal", [1, 2, 4, 8, 16, 32], [100, 200, 400, 800, 1600, 3200])], "GPUs", "samples/s", logX: true));
        model.Tables.Add(new ReportTable("Per-GPU breakdown", ["gpu", "compute (s)", "comm (s)"], [["gpu0", 12.5, 1.25], ["gpu1", 12.5, 1.5]]));
        return model;
    }
}
