namespace Sim.Scenarios.Validation;

/// <summary>
/// Published effects of context parallelism and tensor-parallel communication overlap as recipes run
/// them (<see cref="PublishedGain"/>: the same system without and with the feature). Every scenario uses
/// the suite's defaults (kernel-level compute, NCCL's model, analytical network); the only per-row
/// settings are facts of the measured run. Nothing here was tuned to these rows.
/// </summary>
public static class ParallelismRecipeMeasurements
{
    private const string TorchTitanSource = "PyTorch torchtitan repository, async TP benchmark notes (benchmarks/asyncTP_llama3_h100_2025-06_torchtitan.md, June 2025): " +
        "tokens/s per GPU, vanilla TP vs async TP, bfloat16 rows; Grand Teton hosts, 8 H100 96GB (2.4 TB/s) per host at 500 W, 400 Gb/s RDMA per GPU";
    private const string Llama3Source = "Llama Team, \"The Llama 3 Herd of Models\", arXiv:2407.21783 (2024), Table 4 (BF16 MFU of Llama 3 405B pre-training, with and without context parallelism)";

    /// <summary>TorchTitan's FSDP x TP run of a Llama 3 model, vanilla TP or async TP.</summary>
    private static PublishedMeasurement TorchTitan(string size, int layers, int hidden, int heads, int ffn, int gpus, int fsdp, int localBatch, string recompute,
        bool asyncTp, double tokensPerGpu) => new(
        Name: $"torchtitan-llama3-{size}-{gpus}-gpus-{(asyncTp ? "async-tp" : "vanilla-tp")}",
        System: $"Llama 3 {size} on {gpus} H100 (FSDP {fsdp} x TP 8, torch.compile, local batch {localBatch}, sequence 8192), {(asyncTp ? "async" : "vanilla")} TP",
        Source: TorchTitanSource,
        Metric: "tokens_per_s",
        Measured: tokensPerGpu * gpus,
        Unit: "tokens/s",
        ScenarioYaml: $$$"""
            name: torchtitan-llama3-{{{size}}}
            cluster: {preset: dgx-h100, nodes: {{{gpus / 8}}}, fabric: rail_optimized}
            network: {backend: analytical, collective: ring}
            model: {gpt: {layers: {{{layers}}}, hidden: {{{hidden}}}, heads: {{{heads}}}, kv_heads: 8, ffn_hidden: {{{ffn}}}, gated_ffn: true, tied_embeddings: false, sequence: 8192, vocabulary: 128256}, attention: flash2}
            compute: {precision: bf16, compile: true}
            training: {mode: pipeline, micro_batch: {{{localBatch}}}, iterations: 1}
            pipeline: {stages: 1, microbatches: 1, tensor_parallel: 8, data_parallel: {{{fsdp}}}, zero_stage: 3, sequence_parallel: true, async_tensor_parallel: {{{(asyncTp ? "true" : "false")}}}, recompute: {{{recompute}}}}
            outputs: {timeline: false, report: false}
            """,
        Caveats: $"Measured {tokensPerGpu} tokens/s per GPU at 500 W on 96 GB / 2.4 TB/s H100s; the preset is the 700 W SXM5 80 GB part, so absolute throughput is not comparable, only the ratio. " +
                 "FSDP is ZeRO-3 over the data-parallel ranks, gathered and reduce-scattered layer by layer with one layer of prefetch; torch.compile as the compute model's element-wise fusion. " +
                 "Attention is FlashAttention-2: torchtitan's SDPA lists only the flash, efficient and math backends below sm100 (pytorch/torchtitan PR #1196, May 2025)." +
                 (recompute == "selective" ? " Per-op selective activation checkpointing is taken as selective recomputation." : ""),
        SourceKey: "torchtitan async TP (PyTorch 2025)");

    /// <summary>Llama 3 405B, TP 8 x PP 16 on 16,384 H100s: 8K sequences with DP 128, or 128K sequences with CP 16 and DP 8.</summary>
    private static PublishedMeasurement Llama3(int sequence, int cp, int dp, double tflops) => new(
        Name: $"llama3-405b-16384-gpus-seq{sequence}-cp{cp}",
        System: $"Llama 3 405B on 16,384 H100, TP 8 x CP {cp} x PP 16 x DP {dp}, sequence {sequence}, 16 sequences per DP group",
        Source: Llama3Source,
        Metric: "mfu",
        Measured: tflops / 989,
        Unit: "of peak",
        ScenarioYaml: $$$"""
            name: llama3-405b-cp{{{cp}}}
            cluster: {preset: dgx-h100, nodes: 2048, fabric: rail_optimized}
            network: {backend: analytical, collective: ring}
            model: {gpt: {layers: 126, hidden: 16384, heads: 128, kv_heads: 8, ffn_hidden: 53248, gated_ffn: true, tied_embeddings: false, sequence: {{{sequence}}}, vocabulary: 128256}}
            compute: {precision: bf16}
            training: {mode: pipeline, micro_batch: 1, iterations: 1}
            pipeline: {schedule: interleaved, virtual_stages: 2, stages: 16, microbatches: 16, tensor_parallel: 8, context_parallel: {{{cp}}}, cp_comm_type: all_gather, data_parallel: {{{dp}}}, recompute: none, partition: balanced}
            outputs: {timeline: false, report: false}
            """,
        Caveats: $"Measured {tflops} TFLOP/s per GPU. As the suite's other Llama 3 rows: RoCE simulated as InfiniBand, interleaving v = 2 assumed. CP is all-gather-based as Meta ran it (K/V all-gathered, then attention; the all-gather exposed); " +
                 "the simulator counts model FLOPs with the full (unmasked) attention, which at 128K is 57% of a layer's FLOPs; Meta does not state its count.",
        SourceKey: "Llama 3 (Meta 2024)");

    /// <summary>Before/after pairs: TP overlap gains and the cost of long-context CP at fixed GPUs.</summary>
    public static IReadOnlyList<PublishedGain> Gains { get; } =
    [
        new("torchtitan-llama3-70b-async-tp",
            TorchTitan("70b", 80, 8192, 64, 28672, 256, 32, 16, "full", asyncTp: false, 597.3),
            TorchTitan("70b", 80, 8192, 64, 28672, 256, 32, 16, "full", asyncTp: true, 652.4)),
        new("torchtitan-llama3-8b-async-tp",
            TorchTitan("8b", 32, 4096, 32, 14336, 64, 8, 12, "selective", asyncTp: false, 4378),
            TorchTitan("8b", 32, 4096, 32, 14336, 64, 8, 12, "selective", asyncTp: true, 4809.4)),
        new("llama3-405b-cp16-128k-vs-8k", Llama3(8192, 1, 128, 400), Llama3(131072, 16, 8, 380)),
    ];
}
