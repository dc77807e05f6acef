namespace Sim.Scenarios.Validation;

/// <summary>
/// NVIDIA NeMo's performance summary for NeMo 24.07: the FP8 pre-training table on DGX H100, every row of
/// it (twelve dense decoders, GPT-3 5B to Nemotron-4 340B, 8 to 512 GPUs; the table has no MoE and no BF16
/// rows). The table states GPUs, global and micro batch, sequence, TP, PP, CP and VP and measures tokens per
/// second per GPU; what it leaves out (sequence parallelism, TP communication overlap, recomputation, the
/// optimizer) is taken from NeMo-Framework-Launcher's 24.07 configurations and H100 FP8 example scripts,
/// named per row. Rows are compared on tokens per second (table value x GPUs), the measured quantity, so
/// that NeMo's FLOP-counting convention does not enter. Nothing here was tuned to these rows.
/// </summary>
public static class NemoPerformanceSummaryMeasurements
{
    private const string Source = "NVIDIA/NeMo, docs/source/performance/performance_summary.md at commit 8e3d65dc (2024-09-09, \"24.07 perf numbers\" #10253, " +
        "the table's last version before it moved to docs.nvidia.com), \"Pretraining\" table (FP8, container NeMo 24.07, DGX-H100): Tokens / sec / GPU";

    private const string Launcher = "NVIDIA/NeMo-Framework-Launcher tag 24.07 (commit 8325688d)";

    /// <summary>What every row shares, from the launcher's configurations of that release.</summary>
    private const string CommonCaveat =
        " The optimizer is the launcher's distributed_fused_adam with overlap_grad_sync and overlap_param_sync (the distributed optimizer, gradient reduce-scatter overlapped with the backward, parameter all-gather with the next forwards);" +
        " FP8 is Transformer Engine's hybrid format with delayed scaling on the linear GEMMs (attention in BF16). The vocabulary is padded to a multiple of 128 x TP as NeMo pads it (make_vocab_size_divisible_by 128; megatron_base_model.py _vocab_size_with_padding multiplies it by the TP size)." +
        " Attention is the device's default fused kernel (Transformer Engine's cuDNN attention on H100). Pipeline sends are asynchronous as the simulator always sends (the configurations' overlap_p2p_comm)." +
        " The table gives throughput after warm-up of a benchmark run; which NeMo-internal recipe produced it is not published with it, so a launcher setting that the run changed would be a wrong assumption here.";

    /// <summary>One row of the table. <paramref name="tokensPerGpu"/> and <paramref name="tflops"/> are the table's two measured columns.</summary>
    private static PublishedMeasurement Row(string name, string label, int gpus, int globalBatch, int microBatch, int sequence,
        int tp, int pp, int cp, int vp, double tokensPerGpu, double tflops, string model, bool sequenceParallel, bool tpCommOverlap,
        string recompute, string settingsFrom, string caveats)
    {
        int dp = gpus / (tp * pp * cp);
        string schedule = vp > 1 ? $"schedule: interleaved, virtual_stages: {vp}" : "schedule: 1f1b";
        string layout = $"TP {tp} x PP {pp}" + (cp > 1 ? $" x CP {cp}" : "") + (vp > 1 ? $" x VP {vp}" : "") + $" x DP {dp}";
        return new PublishedMeasurement(
            Name: $"nemo2407-{name}-{gpus}-gpus-fp8",
            System: $"{label} on {gpus} H100 (DGX H100), {layout}, global batch {globalBatch}, micro-batch {microBatch}, sequence {sequence}, FP8, NeMo 24.07",
            Source: Source,
            Metric: "tokens_per_s",
            Measured: tokensPerGpu * gpus,
            Unit: "tokens/s",
            ScenarioYaml: $$$"""
                name: nemo2407-{{{name}}}-{{{gpus}}}
                cluster: {preset: dgx-h100, nodes: {{{(gpus + 7) / 8}}}, fabric: rail_optimized}
                network: {backend: analytical, collective: ring}
                model: {{{model}}}
                compute: {precision: fp8, fp8: {recipe: delayed}}
                training: {mode: pipeline, micro_batch: {{{microBatch}}}, iterations: 1}
                pipeline: {{{{schedule}}}, stages: {{{pp}}}, global_batch: {{{globalBatch}}}, tensor_parallel: {{{tp}}}, context_parallel: {{{cp}}}, data_parallel: {{{dp}}}, sequence_parallel: {{{(sequenceParallel ? "true" : "false")}}}, tp_comm_overlap: {{{(tpCommOverlap ? "true" : "false")}}}, use_distributed_optimizer: true, overlap_param_gather: true, recompute: {{{recompute}}}, partition: uniform}
                outputs: {timeline: false, report: false}
                """,
            Caveats: $"Measured {tokensPerGpu} tokens/s per GPU ({tflops} model TFLOP/s per GPU as NeMo counts it). " +
                     $"Not in the table, from {Launcher} {settingsFrom}: sequence parallelism {(sequenceParallel ? "on" : "off")}, " +
                     $"TP communication overlap {(tpCommOverlap ? "on (ub_tp_comm_overlap; Transformer Engine userbuffers with TE's default SM counts, not the per-GEMM userbuffers table)" : "off")}, " +
                     $"recomputation {recompute}. " + caveats + CommonCaveat,
            SourceKey: "NeMo performance summary 24.07 (NVIDIA 2024)");
    }

    /// <summary>GPT-3 as NeMo's gpt3/*.yaml define it: learned positions, LayerNorm, GeLU, biases, tied embeddings,
    /// GPT-2 BPE vocabulary 50,257 padded per TP, dropout 0.1 (which the simulated block has).</summary>
    private static string Gpt3(int layers, int hidden, int heads, int tp) =>
        $"{{gpt: {{layers: {layers}, hidden: {hidden}, heads: {heads}, sequence: 2048, vocabulary: {Padded(50257, tp)}}}}}";

    /// <summary>Llama 2 and 3 (RMSNorm, SwiGLU, RoPE, no biases, untied embeddings) as NeMo's llama/*.yaml define them.</summary>
    private static string Llama(int layers, int hidden, int heads, int kvHeads, int ffn, int sequence, int vocabulary, int tp) =>
        $"{{gpt: {{layers: {layers}, hidden: {hidden}, heads: {heads}, kv_heads: {kvHeads}, ffn_hidden: {ffn}, gated_ffn: true, tied_embeddings: false, sequence: {sequence}, vocabulary: {Padded(vocabulary, tp)}}}}}";

    /// <summary>Nemotron (LayerNorm1p, squared-ReLU FFN, RoPE, no biases, untied, vocabulary 256,000) as NeMo's nemotron/*.yaml define it.</summary>
    private static string Nemotron(int layers, int hidden, int heads, int kvHeads, int ffn, int tp) =>
        $"{{gpt: {{layers: {layers}, hidden: {hidden}, heads: {heads}, kv_heads: {kvHeads}, ffn_hidden: {ffn}, tied_embeddings: false, sequence: 4096, vocabulary: {Padded(256000, tp)}}}}}";

    /// <summary>Megatron's vocabulary padding: up to a multiple of make_vocab_size_divisible_by (128) x TP.</summary>
    private static int Padded(int vocabulary, int tp) => (vocabulary + 128 * tp - 1) / (128 * tp) * (128 * tp);

    private const string Gpt3Note = "The GPT-3 configurations keep dropout 0.1 (hidden and attention), as the simulated block does.";
    private const string LlamaNote = "The simulated block has LayerNorm, GeLU-style element-wise kernels and biases where Llama has RMSNorm, SwiGLU and none (memory-bound kernels of similar size); dropout 0 in the configuration, kept in the simulated block (memory-bound, small).";
    private const string NemotronNote = "Nemotron's squared-ReLU FFN, LayerNorm1p and bias-free linears are simulated as the GPT block's GeLU FFN, LayerNorm and biases (memory-bound kernels of similar size); dropout 0 in the configuration, kept in the simulated block (memory-bound, small).";

    public static IReadOnlyList<PublishedMeasurement> All { get; } =
    [
        Row("gpt3-5b", "GPT-3 5B (24 layers, hidden 4096, 32 heads)", 64, 2048, 4, 2048, 1, 1, 1, 1, 23406, 765,
            Gpt3(24, 4096, 32, 1), false, false, "none", "conf/training/gpt3/5b.yaml and examples/training/gpt/h100/5b_fp8_8node.sh", Gpt3Note),
        Row("gpt3-20b", "GPT-3 20B (44 layers, hidden 6144, 48 heads)", 64, 256, 2, 2048, 2, 1, 1, 1, 5851, 750,
            Gpt3(44, 6144, 48, 2), true, true, "none", "conf/training/gpt3/20b.yaml and examples/training/gpt/h100/20b_fp8_8node.sh", Gpt3Note),
        Row("gpt3-175b", "GPT-3 175B (96 layers, hidden 12288, 96 heads)", 128, 256, 1, 2048, 4, 8, 1, 6, 716, 771,
            Gpt3(96, 12288, 96, 4), true, false, "none", "conf/training/gpt3/175b.yaml (ub_tp_comm_overlap False) and examples/training/gpt/h100/175b_fp8_16node.sh",
            Gpt3Note + " The same model on the same 128 GPUs and batch is a DGXC benchmarking row (RecipeMeasurements: a later release, VP 12, TP overlap on); this is NeMo 24.07's own measurement at VP 6. With TP overlap on (not what the configuration says) the row would read +13.2% instead of +6.3% (docs/gpu-costs.md)."),
        Row("gpt3-175b", "GPT-3 175B (96 layers, hidden 12288, 96 heads)", 512, 2048, 2, 2048, 4, 8, 1, 6, 825, 888,
            Gpt3(96, 12288, 96, 4), true, false, "none", "conf/training/gpt3/175b.yaml (ub_tp_comm_overlap False)",
            Gpt3Note + " The table links this row's TFLOP/s to MLCommons' training results; micro-batch 2 as the table states. With TP overlap on (not what the configuration says) the row would read +1.7% instead of -5.6% (docs/gpu-costs.md)."),
        Row("llama2-7b", "Llama 2 7B (32 layers, hidden 4096, 32 heads, FFN 11008)", 8, 128, 1, 4096, 1, 1, 1, 1, 16934, 780,
            Llama(32, 4096, 32, 32, 11008, 4096, 32000, 1), false, false, "none", "conf/training/llama/llama2_7b.yaml and examples/training/llama/h100/llama2_7b_fp8.sh", LlamaNote),
        Row("llama2-13b", "Llama 2 13B (40 layers, hidden 5120, 40 heads, FFN 13824)", 16, 128, 1, 4096, 1, 4, 1, 10, 8715, 760,
            Llama(40, 5120, 40, 40, 13824, 4096, 32000, 1), false, false, "none", "conf/training/llama/llama2_13b.yaml and examples/training/llama/h100/llama2_13b_fp8.sh",
            LlamaNote + " The configuration's FP8 amax history is 1 (most_recent), not 1024; the simulator's delayed-scaling cost does not depend on it."),
        Row("llama2-70b", "Llama 2 70B (80 layers, hidden 8192, 64 heads, 8 KV heads, FFN 28672)", 64, 128, 1, 4096, 4, 4, 1, 20, 1728, 768,
            Llama(80, 8192, 64, 8, 28672, 4096, 32000, 4), true, true, "none", "conf/training/llama/llama2_70b.yaml and examples/training/llama/h100/llama2_70b_fp8.sh",
            LlamaNote + " The configuration's FP8 amax history is 1 (most_recent), not 1024; the simulator's delayed-scaling cost does not depend on it."),
        Row("nemotron-8b", "Nemotron-8B (32 layers, hidden 4096, 32 heads, FFN 16384)", 64, 256, 4, 4096, 2, 1, 1, 1, 12507, 643,
            Nemotron(32, 4096, 32, 32, 16384, 2), true, true, "none", "conf/training/nemotron/nemotron_8b.yaml and examples/training/nemotron/h100/nemotron_8b_fp8.sh (micro-batch 4 as the table states, not the script's 2)", NemotronNote),
        Row("nemotron-22b", "Nemotron-22B (40 layers, hidden 6144, 48 heads, FFN 24576)", 64, 256, 2, 4096, 2, 4, 1, 10, 4312, 562,
            Nemotron(40, 6144, 48, 48, 24576, 2), true, true, "none", "conf/training/nemotron/nemotron_22b.yaml and examples/training/nemotron/h100/nemotron_22b_fp8.sh (micro-batch 2 as the table states, not the script's 1)", NemotronNote),
        Row("nemotron4-340b", "Nemotron-4 340B (96 layers, hidden 18432, 96 heads, 8 KV groups, FFN 73728)", 128, 32, 1, 4096, 8, 8, 1, 12, 326, 686,
            Nemotron(96, 18432, 96, 8, 73728, 8), true, false, "selective", "conf/training/nemotron/nemotron_340b.yaml (activations_checkpoint_granularity selective, ub_tp_comm_overlap False; its PP 12 x VP 8 replaced by the table's PP 8 x VP 12)",
            NemotronNote + " The same model, layout and batch is a DGXC benchmarking row (RecipeMeasurements, NeMo 24.11, which runs it without recomputation and with TP overlap); this is NeMo 24.07's own measurement. With TP overlap on (not what the 24.07 configuration says) the row would read +2.1% instead of -6.0% (docs/gpu-costs.md)."),
        Row("llama3-8b", "Llama 3 8B (32 layers, hidden 4096, 32 heads, 8 KV heads, FFN 14336)", 8, 128, 1, 8192, 1, 1, 2, 1, 12273, 711,
            Llama(32, 4096, 32, 8, 14336, 8192, 128256, 1), false, false, "none", "conf/training/llama/llama3_8b.yaml and examples/training/llama/h100/llama3_8b_fp8.sh",
            LlamaNote + " Context parallelism CP 2 as Megatron-Core's default ring (cp_comm_type p2p, load-balanced split)."),
        Row("llama3-70b", "Llama 3 70B (80 layers, hidden 8192, 64 heads, 8 KV heads, FFN 28672)", 64, 128, 1, 8192, 4, 4, 2, 5, 1524, 734,
            Llama(80, 8192, 64, 8, 28672, 8192, 128256, 4), true, true, "none", "conf/training/llama/llama3_70b.yaml and examples/training/llama/h100/llama3_70b_fp8.sh (its VP 10 replaced by the table's VP 5)",
            LlamaNote + " Context parallelism CP 2 as Megatron-Core's default ring (cp_comm_type p2p, load-balanced split). The same shape and layout is a DGXC benchmarking row (RecipeMeasurements, Llama 3.1 70B, NeMo 24.12); this is NeMo 24.07's own measurement."),
    ];
}
