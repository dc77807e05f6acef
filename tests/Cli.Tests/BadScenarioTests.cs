namespace Sim.Cli.Tests;

/// <summary>
/// Malformed training scenarios through the real `sim run`: each is rejected with exit code 2 and a
/// message naming the file, line, column and key path; none leaves any output behind and none
/// crashes with a stack trace. The files live in BadScenarios/.
/// </summary>
public sealed class BadScenarioTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "sim-bad-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(_out)) Directory.Delete(_out, true); }

    public static TheoryData<string, string> Cases => new()
    {
        { "unknown_top", "5:1: colour: unknown key 'colour'; expected one of: name, description, seed" },
        { "unknown_training", "4:64: training.iteratons: unknown key 'iteratons' (did you mean 'iterations'?)" },
        { "nodes_string", "2:36: cluster.nodes: expected an integer in [1, 1000000], got 'two'" },
        { "negative_batch", "4:46: training.micro_batch: expected an integer in [1, 1048576], got '-8'" },
        { "unknown_preset", "2:19: cluster.preset: expected one of cpu-host, dgx-a100, dgx-a100-40gb, dgx-h100, dgx-h200, dgx1-v100, gb200-nvl72, jean-zay-a100, p100-pcie-8x, got 'dgx-a10' (did you mean 'dgx-a100'?)" },
        { "unknown_model", "3:14: model.zoo: expected one of resnet50, resnet101, vgg16, inception_v3, bert_large, gpt3_175b, gpt3_13b, gpt2_1.5b, llama2_7b, got 'resnet51' (did you mean 'resnet50'?)" },
        { "zoo_and_gpt", "3:8: model: give exactly one of model.zoo or model.gpt" },
        { "workers_too_many", "4:73: training.workers: the cluster has 8 GPUs (1 x 8), got 9 workers" },
        { "backup_too_many", "4:80: training.backup_workers: must be less than the number of workers (8), got 8" },
        { "bad_jitter", "5:22: stragglers.jitter: expected a distribution such as lognormal(0, 0.25), exponential(2) or a constant, got string \"lognormal(0)\" (lognormal(mu, sigma) takes 2 arguments, got 1" },
        { "fp8_on_a100", "5:22: compute.precision: A100-SXM4-80GB has no fp8 peak; it supports fp64, fp32, tf32, fp16, bf16" },
        { "fp8_param_gather_bf16", "6:109: pipeline.fp8_param_gather: needs compute.precision: fp8" },
        { "pipeline_section_dp", "5:11: pipeline: is only used with training.mode: pipeline (mode is data_parallel)" },
        { "pipeline_too_big", "5:20: pipeline.stages: tensor_parallel x stages x data_parallel = 4 x 4 x 1 = 16 GPUs, but the cluster has 8" },
        { "expert_parallel_dp", "5:95: pipeline.expert_parallel: 4 must divide pipeline.data_parallel (2); experts are sharded over data-parallel replicas" },
        { "pipeline_missing", "4:18: training.mode: mode pipeline needs a pipeline: section" },
        { "failures_no_mtbf", "5:11: failures.gpu_mtbf_hours: give gpu_mtbf_hours and/or node_mtbf_hours" },
        { "transient_worker", "7:54: stragglers.transients[0].worker: there are 8 workers (0..7), got 8" },
        { "ps_section_dp", "5:19: parameter_server: is only used with training.mode: parameter_server (mode is data_parallel)" },
        { "bad_yaml", "3:1: invalid YAML: While parsing a flow mapping, did not find expected ',' or '}'." },
        { "duplicate_key", "5:1: duplicate key 'name' (first defined at line 1)" },
        { "empty", "1:1: expected a YAML mapping, got an empty file" },
        { "replications_zero", "5:15: replications: expected an integer in [1, 10000], got '0'" },
        { "slow_fraction", "5:29: stragglers.slow_fraction: expected a number in [0, 1], got '1.5'" },
        { "bool_word", "4:73: training.overlap: expected true or false, got 'yes'" },
        { "bad_mode", "4:18: training.mode: expected one of data_parallel, local_sgd, parameter_server, pipeline, cpu_host_data_parallel, got 'data_paralel' (did you mean 'data_parallel'?)" },
        { "missing_training", "1:1: training: missing required key; expected a mapping" },
        { "profile_missing", "5:20: compute.profile: file not found: " },
        { "profile_and_roofline", "5:59: compute.flop_efficiency: is a roofline setting; a calibration profile (compute.profile) replaces it" },
        { "stragglers_pipeline", "6:13: stragglers: stragglers are simulated for data_parallel, local_sgd and parameter_server only" },
        // closed_form prices only all-reduces: modes with point-to-point traffic used to run on the analytical
        // network silently while summary.json said closed form.
        { "closed_form_pipeline", "4:20: network.backend: closed_form prices only all-reduces and simulates no transfers; training.mode pipeline sends point-to-point traffic, so use one of: analytical, flow" },
        { "closed_form_ps", "4:20: network.backend: closed_form prices only all-reduces and simulates no transfers; training.mode parameter_server sends point-to-point traffic, so use one of: analytical, flow" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void MalformedScenarioIsRejectedWithItsLocationAndLeavesNothing(string name, string expected)
    {
        string file = Path.Combine(AppContext.BaseDirectory, "BadScenarios", name + ".yaml");
        var (code, output, error) = SimCommandLine.Invoke("run", file, "--out", _out);
        Assert.Equal(2, code);
        Assert.Contains($"{name}.yaml:{expected}", error);
        Assert.DoesNotContain("   at ", error); // no stack trace
        Assert.DoesNotContain("results:", output);
        Assert.False(Directory.Exists(_out), "a rejected scenario must not create its results folder");
    }

    [Theory]
    [InlineData("bench", "kernel", "--runs", "abc")]
    [InlineData("sweep", "run")]
    [InlineData("frobnicate")]
    [InlineData("run", "a.yaml", "b.yaml")]
    public void CommandLinesThatDoNotParseAreBadInput(params string[] args)
    {
        var (code, _, error) = SimCommandLine.Invoke(args);
        Assert.Equal(2, code);
        Assert.Contains("error: ", error);
        Assert.Contains("--help", error);
    }

    [Fact]
    public void MalformedMeasurementsForValidationAreBadInput()
    {
        string dir = Directory.CreateTempSubdirectory("sim-badmeas-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "measurements.json"), "{\"schema\": \"sim-measurements\", \"version\": 1, \"trunc");
            var (code, _, error) = SimCommandLine.Invoke("validate", "ddp", "--measurements", dir, "--out", _out);
            Assert.Equal(2, code);
            Assert.Contains("measurements.json", error);
            Assert.DoesNotContain("   at ", error);
            Assert.False(Directory.Exists(_out));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void MissingFileIsBadInputToo()
    {
        var (code, _, error) = SimCommandLine.Invoke("run", "/nonexistent/scenario.yaml", "--out", _out);
        Assert.Equal(2, code);
        Assert.Contains("/nonexistent/scenario.yaml", error);
        Assert.False(Directory.Exists(_out));
    }
}
