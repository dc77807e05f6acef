using Sim.Learning.Scenario;
using Sim.Scenarios.Yaml;

namespace Sim.Learning.Tests.Scenario;

public class LearningScenarioTests
{
    private const string Valid = """
        name: t
        replications: 2
        data: {features: 8, classes: 4, train: 1024, test: 256, separation: 0.8}
        model: {kind: softmax}
        training: {workers: 4, batch: 8, learning_rate: 0.2, max_updates: 400, evaluate_every: 10, target_accuracy: 0.55}
        timing: {seconds_per_example: 1e-4, jitter: "lognormal(0, 0.2)"}
        strategies:
          - {kind: sync}
          - {kind: ssp, bound: 2}
          - {kind: local_sgd, local_steps: 4, label: local}
          - {kind: fedavg, clients_per_round: 2, local_steps: 2, shards: non_iid}
          - {kind: fedbuff, concurrency: 2, buffer: 2, local_steps: 2}
        """;

    [Fact]
    public void Runs_every_strategy_for_every_seed_and_reports_time_to_target()
    {
        var scenario = LearningScenario.Parse(Valid, "t.yaml");
        Assert.Equal(5, scenario.Strategies.Count);
        Assert.Equal("local", scenario.Strategies[2].Label);
        var outcome = LearningRunner.Run(scenario);
        var table = outcome.Table();
        Assert.Equal(5, table.Rows.Count);
        Assert.Equal("2/2", table.Rows[0][1]);
        Assert.All(outcome.Results, r => Assert.Equal([1UL, 2UL], r.Seeds.Select(o => o.Seed)));
        string dir = Path.Combine(Path.GetTempPath(), "sim-learn-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            LearningRunner.Write(outcome, dir);
            Assert.True(File.Exists(Path.Combine(dir, "summary.json")));
            Assert.Contains("time_s", File.ReadLines(Path.Combine(dir, "curves.csv")).First());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("  - {kind: sync, bound: 2}", "strategies[5].bound", "not used by kind sync")]
    [InlineData("  - {kind: ssp}", "strategies[5].kind", "needs bound")]
    [InlineData("  - {kind: fedavg, clients_per_round: 9, local_steps: 1}", "strategies[5].clients_per_round", "there are 4 clients")]
    public void Bad_strategies_are_refused_with_file_line_and_key_path(string extra, string path, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => LearningScenario.Parse(Valid + "\n" + extra + "\n", "t.yaml"));
        Assert.Contains("t.yaml:", e.Message);
        Assert.Contains(path, e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Data_and_model_keys_another_model_kind_reads_are_refused()
    {
        var e = Assert.Throws<ScenarioException>(() => LearningScenario.Parse(Valid.Replace("model: {kind: softmax}", "model: {kind: cnn, hidden: 4}"), "t.yaml"));
        Assert.Contains("data.features", e.Message);
        Assert.Contains("not used by model.kind cnn", e.Message);
        Assert.Contains("model.hidden", e.Message);
    }

    [Fact]
    public void A_scenario_without_a_target_is_refused() =>
        Assert.Contains("target", Assert.Throws<ScenarioException>(() => LearningScenario.Parse(Valid.Replace(", target_accuracy: 0.55", ""), "t.yaml")).Message);
}
