namespace Sim.Cli.Tests;

/// <summary>
/// Bad attack:, defence: and coding: settings through the real `sim run`: exit code 2, the file, line, column
/// and key path of the problem (a rule's precondition points at the rule), no stack trace, and no
/// results folder. The files live in BadScenarios/byzantine_*.yaml.
/// </summary>
public sealed class ByzantineScenarioTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "sim-byz-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(_out)) Directory.Delete(_out, true); }

    public static TheoryData<string, string> Cases => new()
    {
        { "byzantine_krum_precondition", "7:15: defence.aggregator: krum needs n > 2f + 2, got n = 8, f = 3" },
        { "byzantine_bulyan_precondition", "6:23: defence.aggregator: bulyan needs n >= 4f + 3, got n = 8, f = 2" },
        { "byzantine_bucketing_precondition", "6:23: defence.aggregator: after bucketing there are n = 4 gradients; krum needs n > 2f + 2 with f = 2" },
        { "byzantine_unknown_attack", "5:16: attack.type: expected one of none, sign-flip, gaussian, scaled, alie, ipm, mimic, label-flip, got 'alie2' (did you mean 'alie'?)" },
        { "byzantine_count_and_fraction", "5:41: attack.fraction: give count or fraction, not both" },
        { "byzantine_clipping_radius_missing", "6:3: defence.clipping_radius: centered clipping needs a clipping radius tau (> 0)" },
        { "byzantine_sigma_missing", "6:3: attack.sigma: the Gaussian attack needs sigma" },
        { "byzantine_all_byzantine", "5:34: attack.count: 8 Byzantine workers leave no honest one among 8 workers" },
        { "byzantine_fraction_one", "5:32: attack.fraction: 8 Byzantine workers leave no honest one among 8 workers" },
        { "byzantine_defence_ps_mode", "6:10: defence: median needs every gradient of a step side by side: use parameter_server.consistency: bsp (got ssp)" },
        { "byzantine_defence_local_sgd", "5:10: defence: defences are simulated for training.mode: data_parallel and parameter_server only (mode is local_sgd)" },
        { "byzantine_federated_async", "5:10: defence: krum needs a round's updates side by side at one server: use federated.mode: sync without edge_aggregators" },
        { "byzantine_federated_krum", "5:23: defence.aggregator: krum needs n > 2f + 2, got n = 8, f = 3" },
        { "coding_fractional_divides", "5:42: coding.stragglers: fractional repetition needs s + 1 to divide n, got n = 16, s = 2; use the cyclic scheme" },
        { "coding_replication_missing", "5:18: coding.scheme: scheme replication needs replication" },
        { "coding_and_backups", "4:80: training.backup_workers: give backup workers or coding, not both" },
        { "coding_and_krum", "6:9: coding: coding with the robust rule krum is not modelled" },
        { "coding_ps_mode", "5:9: coding: coded computation is simulated for training.mode: data_parallel only (mode is parameter_server)" },
        { "coding_too_many_stragglers", "5:38: coding.stragglers: must be in 1..15 (n = 16), got 16" },
        { "coding_unused_key", "5:59: coding.stragglers: is not used by scheme replication (it takes replication)" },
        { "byzantine_federated_all", "4:43: attack.count: 4 Byzantine workers leave no honest one among 4 workers" },
    };

    public static TheoryData<string, string> LearnCases => new()
    {
        { "byzantine_learn_krum", "6:77: strategies[0].defence.aggregator: krum needs n > 2f + 2, got n = 6, f = 2" },
        { "byzantine_learn_label_flip", "6:38: strategies[0].attack.type: label-flip poisons training data" },
        { "byzantine_learn_fedavg_label_flip", "7:73: strategies[0].attack.type: label-flip poisons training data; softmax regression" },
        { "byzantine_learn_fedavg_krum", "7:117: strategies[0].defence.aggregator: krum needs n > 2f + 2, got n = 6, f = 2" },
        { "byzantine_learn_no_defence", "6:12: strategies[0].kind: kind byzantine needs defence" },
    };

    /// <summary>The same checks on a `sim learn` strategy of kind byzantine.</summary>
    [Theory]
    [MemberData(nameof(LearnCases))]
    public void Bad_byzantine_learning_strategy_is_rejected_with_its_location_and_leaves_nothing(string name, string expected)
    {
        string file = Path.Combine(AppContext.BaseDirectory, "BadScenarios", name + ".yaml");
        var (code, output, error) = SimCommandLine.Invoke("learn", file, "--out", _out);
        Assert.Equal(2, code);
        Assert.Contains($"{name}.yaml:{expected}", error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("results:", output);
        Assert.False(Directory.Exists(_out), "a rejected scenario must not create its results folder");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_attack_or_defence_is_rejected_with_its_location_and_leaves_nothing(string name, string expected)
    {
        string file = Path.Combine(AppContext.BaseDirectory, "BadScenarios", name + ".yaml");
        var (code, output, error) = SimCommandLine.Invoke("run", file, "--out", _out);
        Assert.Equal(2, code);
        Assert.Contains($"{name}.yaml:{expected}", error);
        Assert.DoesNotContain("   at ", error);
        Assert.DoesNotContain("results:", output);
        Assert.False(Directory.Exists(_out), "a rejected scenario must not create its results folder");
    }
}
