using System.Text.Json;

namespace Sim.Cli.Tests.Hostile;

/// <summary>
/// Hostile GPU measurement files: a valid sim-gpu-measurements file mutated once (the same mutations as
/// <see cref="MutatedInputPropertyTests.Mutate"/>: an absurd number, a line deleted or doubled, the file
/// cut short, a nasty character) and fed to `sim calibrate gpu-fit`. Whatever the mutation, it exits 0
/// with a hardware file or 2 with a message naming the file and nothing written; never 1, never a stack
/// trace. A fixed seed by default (CI replays the same cases); SIM_FUZZ_SEED=random explores, =N replays N.
/// </summary>
public sealed class MutatedGpuMeasurementTests
{
    private const int Cases = 40;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static int Seed()
    {
        string? setting = Environment.GetEnvironmentVariable("SIM_FUZZ_SEED");
        if (setting == "random") return Random.Shared.Next();
        return int.TryParse(setting, out int s) ? s : 20261207;
    }

    [Fact]
    public void Mutated_gpu_measurements_fit_or_are_refused_cleanly()
    {
        int seed = Seed();
        var random = new Random(seed);
        string valid = GpuFitCommandTests.Measurements().ToJsonString(Indented);
        for (int i = 0; i < Cases; i++)
        {
            var mutation = new MutatedInputPropertyTests.Mutation(random.Next(0, 5), random.Next(), random.Next());
            using var ws = new HostileWorkspace();
            string dir = ws.Path_("m");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "gpu-measurements.json"), MutatedInputPropertyTests.Mutate(valid, mutation));
            string outPath = ws.Path_("out.yaml");
            var (code, stdout, stderr) = CalibrateCommandTests.Run("calibrate", "gpu-fit", dir, "--hardware", "dgx-h100", "--out", outPath);
            string context = $"seed {seed} case {i} {mutation}: exit {code}\nstdout: {stdout}\nstderr: {stderr}";
            Assert.True(code is 0 or 2, context);
            Assert.DoesNotContain("   at ", stdout + stderr);
            Assert.DoesNotContain("internal error", stderr);
            if (code == 2)
            {
                Assert.Contains("error: ", stderr);
                Assert.False(File.Exists(outPath), context);
            }
            else Assert.True(File.Exists(outPath), context);
        }
    }
}
