using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Cluster.Traces;

/// <summary>Collects located problems in a trace file (file:line:column, the column or field named as
/// the key path) and throws them together; stops collecting after a screenful so that a file in the
/// wrong format does not print a million lines.</summary>
internal sealed class TraceErrors(string file)
{
    private const int Max = 20;
    private readonly List<ScenarioError> _errors = [];

    public string File { get; } = file;
    public bool Any => _errors.Count > 0;
    public bool Full => _errors.Count >= Max;

    public void Add(int line, int column, string field, string message)
    {
        if (_errors.Count < Max) _errors.Add(new ScenarioError(new SourceLocation(File, line, column), field, message));
    }

    public void ThrowIfAny()
    {
        if (_errors.Count > 0) throw new ScenarioException(_errors);
    }
}
