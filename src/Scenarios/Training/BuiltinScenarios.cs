namespace Sim.Scenarios.Training;

/// <summary>Scenarios compiled into the program, so `sim run` works anywhere without a file.</summary>
public static class BuiltinScenarios
{
    /// <summary>The quick-start scenario (scenarios/quickstart.yaml, embedded at build time).</summary>
    public static string QuickStartYaml()
    {
        using var stream = typeof(BuiltinScenarios).Assembly.GetManifestResourceStream("Sim.Scenarios.quickstart.yaml")
            ?? throw new InvalidOperationException("the quick-start scenario is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static TrainingScenario QuickStart() => TrainingScenario.Parse(QuickStartYaml(), "built-in:quickstart.yaml");
}
