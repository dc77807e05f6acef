namespace Sim.Scenarios.Validation;

/// <summary>
/// Published step times of today's LLM training recipes on H100, in BF16 and in FP8 side by side, from
/// NVIDIA's DGX Cloud benchmarking recipes (NeMo / Megatron-Core with Transformer Engine, DGX H100,
/// InfiniBand NDR). Each row names its table; the scenarios write down the recipe's own layout and
/// model. Rows run with the same defaults as <see cref="PublishedMeasurements"/>; nothing is tuned to
/// them. <see cref="Fp8Pairs"/> pairs each BF16 row with its FP8 twin for the speedup check.
/// </summary>
public static class RecipeMeasurements
{
    private const string Gpt3Source = "NVIDIA/dgxc-benchmarking, nemo_megatron/README_175b.md, \"Expected Performance\" tables (NeMo Megatron GPT3 175B, BF16 and FP8, training step time)";
    private const string NemotronSource = "NVIDIA/dgxc-benchmarking, nemotron/README_340b.md, \"Expected Performance\" tables (Nemotron4 340b 24.11, BF16 and FP8, training step time)";
    private const string Llama70Source = "NVIDIA/dgxc-benchmarking, llama3.1/README_70b.md, \"Expected Performance\" tables (Llama 3.1 70b, NeMo 24.12, BF16 and FP8, training step time)";

    private const string Fp8Caveat = " FP8: Transformer Engine hybrid format with delayed scaling (the recipes' fp8_amax_history_len 1024, fp8_amax_compute_algo max).";
    private const string RecipeOverlaps = " As in the recipe: TP communication overlap (tp_comm_overlap, Transformer Engine userbuffers with TE's default SM counts, not the recipe's per-GEMM userbuffers table) and the distributed optimizer with overlapped gradient reduce-scatter and parameter all-gather.";

    /// <summary>One recipe row: the scenario is the recipe's model and layout on DGX H100 nodes.</summary>
    private static PublishedMeasurement Row(string name, string system, string source, string key, bool fp8, double seconds, int nodes,
        string model, string pipeline, string caveats) => new(
        Name: $"{name}-{(fp8 ? "fp8" : "bf16")}",
        System: $"{system}, {(fp8 ? "FP8" : "BF16")}",
        Source: source,
        Metric: "iteration_mean_s",
        Measured: seconds,
        Unit: "s",
        ScenarioYaml: $$$"""
            name: {{{name}}}-{{{(fp8 ? "fp8" : "bf16")}}}
            cluster: {preset: dgx-h100, nodes: {{{nodes}}}, fabric: rail_optimized}
            network: {backend: analytical, collective: ring}
            model: {{{model}}}
            compute: {{{(fp8 ? "{precision: fp8, fp8: {recipe: delayed}}" : "{precision: bf16}")}}}
            training: {mode: pipeline, micro_batch: 1, iterations: 1}
            pipeline: {{{pipeline}}}
            outputs: {timeline: false, report: false}
            """,
        Caveats: caveats + (fp8 ? Fp8Caveat : "") + RecipeOverlaps,
        SourceKey: key);

    private const string Gpt3Model = "{gpt: {layers: 96, hidden: 12288, heads: 96, sequence: 2048, vocabulary: 51200}}";

    /// <summary>GPT-3 175B, TP 4 x PP 8 x VP 12, micro-batch 1, sequence 2048, global batch 2 per GPU
    /// (NeMo-Framework-Launcher conf/training/gpt3/175b.yaml: sequence parallel, selective recomputation).</summary>
    private static PublishedMeasurement Gpt3(int gpus, bool fp8, double seconds)
    {
        int dp = gpus / 32, microbatches = 2 * gpus / dp;
        return Row($"nemo-gpt3-175b-{gpus}-gpus", $"GPT-3 175B on {gpus} H100 (DGX H100), TP 4 x PP 8 x VP 12 x DP {dp}, global batch {2 * gpus}",
            Gpt3Source, "NVIDIA DGXC GPT3 175B", fp8, seconds, gpus / 8, Gpt3Model,
            $"{{schedule: interleaved, virtual_stages: 12, stages: 8, microbatches: {microbatches}, tensor_parallel: 4, data_parallel: {dp}, sequence_parallel: true, tp_comm_overlap: true, use_distributed_optimizer: true, overlap_param_gather: true, recompute: selective, partition: uniform}}",
            $"Measured step time {seconds} s.");
    }

    /// <summary>Nemotron-4 340B (96 layers, hidden 18432, 96 heads, 8 KV groups, squared-ReLU FFN 73728,
    /// vocabulary 256,000, untied embeddings, sequence 4096), TP 8 x PP 8 x VP 12, micro-batch 1, global
    /// batch 32 on 128 GPUs (NeMo-Framework-Launcher conf/training/nemotron/nemotron_340b.yaml: sequence
    /// parallel, no recomputation, no dropout).</summary>
    private static PublishedMeasurement Nemotron340(bool fp8, double seconds) =>
        Row("nemo-nemotron4-340b-128-gpus", "Nemotron-4 340B on 128 H100 (DGX H100), TP 8 x PP 8 x VP 12 x DP 2, global batch 32",
            NemotronSource, "NVIDIA DGXC Nemotron4 340B", fp8, seconds, 16,
            "{gpt: {layers: 96, hidden: 18432, heads: 96, kv_heads: 8, ffn_hidden: 73728, tied_embeddings: false, sequence: 4096, vocabulary: 256000}}",
            "{schedule: interleaved, virtual_stages: 12, stages: 8, microbatches: 16, tensor_parallel: 8, data_parallel: 2, sequence_parallel: true, tp_comm_overlap: true, use_distributed_optimizer: true, overlap_param_gather: true, recompute: none, partition: uniform}",
            $"Measured step time {seconds} s. The model runs without dropout; Sim's GPT block keeps its dropout kernels (memory-bound, small).");

    /// <summary>Llama 3.1 70B (80 layers, hidden 8192, 64 heads, 8 KV heads, SwiGLU FFN 28672, vocabulary
    /// 128,256, untied, sequence 8192) on 64 GPUs, global batch 128: the recipe's TP 4 x PP 4 x CP 2 x VP 5
    /// x DP 2, 64 micro-batches per replica.</summary>
    private static PublishedMeasurement Llama70(bool fp8, double seconds) =>
        Row("nemo-llama31-70b-64-gpus", "Llama 3.1 70B on 64 H100 (DGX H100), TP 4 x PP 4 x CP 2 x VP 5 x DP 2, global batch 128",
            Llama70Source, "NVIDIA DGXC Llama3.1 70B", fp8, seconds, 8,
            "{gpt: {layers: 80, hidden: 8192, heads: 64, kv_heads: 8, ffn_hidden: 28672, gated_ffn: true, tied_embeddings: false, sequence: 8192, vocabulary: 128256}}",
            "{schedule: interleaved, virtual_stages: 5, stages: 4, microbatches: 64, tensor_parallel: 4, context_parallel: 2, data_parallel: 2, sequence_parallel: true, tp_comm_overlap: true, use_distributed_optimizer: true, overlap_param_gather: true, recompute: none, partition: uniform}",
            $"Measured step time {seconds} s. Context parallelism CP 2 as the recipe runs it (Megatron-Core's default cp_comm_type p2p: ring attention, the load-balanced split); recomputation is not stated in the README (none assumed).");

    private static readonly PublishedMeasurement[] Gpt3Rows =
        [Gpt3(128, false, 8.309), Gpt3(128, true, 5.626), Gpt3(512, false, 8.42), Gpt3(512, true, 5.774)];
    private static readonly PublishedMeasurement[] NemotronRows = [Nemotron340(false, 4.61), Nemotron340(true, 3.16)];
    private static readonly PublishedMeasurement[] LlamaRows = [Llama70(false, 14.61), Llama70(true, 10.46)];

    /// <summary>Every recipe row, BF16 before FP8 for each configuration.</summary>
    public static IReadOnlyList<PublishedMeasurement> All { get; } = [.. Gpt3Rows, .. NemotronRows, .. LlamaRows];

    /// <summary>The FP8-versus-BF16 pairs (same model, layout, batch and GPUs).</summary>
    public static IReadOnlyList<Fp8SpeedupPair> Fp8Pairs { get; } =
    [
        new("gpt3-175b-128-gpus", Gpt3Rows[0], Gpt3Rows[1]),
        new("gpt3-175b-512-gpus", Gpt3Rows[2], Gpt3Rows[3]),
        new("nemotron4-340b-128-gpus", NemotronRows[0], NemotronRows[1]),
        new("llama31-70b-64-gpus", LlamaRows[0], LlamaRows[1]),
    ];
}
