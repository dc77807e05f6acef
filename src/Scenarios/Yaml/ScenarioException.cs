namespace Sim.Scenarios.Yaml;

/// <summary>
/// Raised when an input file is rejected. Like a marked-up exam paper, it lists every problem
/// found, not just the first, so the user fixes them all in one pass.
/// </summary>
public sealed class ScenarioException : Exception
{
    public IReadOnlyList<ScenarioError> Errors { get; }

    public ScenarioException(IReadOnlyList<ScenarioError> errors)
        : base(Format(errors))
    {
        if (errors.Count == 0) throw new ArgumentException("a ScenarioException needs at least one error", nameof(errors));
        Errors = errors;
    }

    public ScenarioException(ScenarioError error) : this(new[] { error }) { }

    private static string Format(IReadOnlyList<ScenarioError> errors) =>
        errors.Count == 1
            ? errors[0].ToString()
            : $"{errors.Count} problems:{Environment.NewLine}" + string.Join(Environment.NewLine, errors);
}
