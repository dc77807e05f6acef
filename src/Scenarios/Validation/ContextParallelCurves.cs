namespace Sim.Scenarios.Validation;

/// <summary>
/// Published context-parallel scaling curves (<see cref="PublishedCurve"/>): throughput (model TFLOP/s or
/// tokens/s per GPU, as each source gives it) as the sequence grows and the recipe adds CP ranks, compared
/// as ratios against the curve's first point. The
/// scenarios write down each point's layout as the source states it; what the source leaves out is
/// assumed the same at every point and named in the caveats. Nothing here was tuned to these rows.
/// </summary>
public static class ContextParallelCurves
{
    private const string NemoLongSequenceSource = "NVIDIA NeMo documentation, docs/source/performance/performance_long_sequence.md (NVIDIA/NeMo 9421f21; " +
        "also docs.nvidia.com/nemo-framework/user-guide/24.12/nemotoolkit/performance/performance_long_sequence.html), " +
        "\"Long Sequence Performance\", table \"LLAMA2-7B (FP8) - H100\" (container NeMo 24.03.01, DGX-H100): with-CP TP/PP/DP/CP and TFLOPS/GPU per sequence length";

    /// <summary>One point of NeMo's Llama 2 7B long-sequence sweep: sequence <paramref name="sequenceK"/> K on
    /// as many H100s as K (the table's # of GPUs), global batch <paramref name="globalBatch"/> (4M tokens at
    /// every point), FP8.</summary>
    private static PublishedMeasurement NemoLlama2(int sequenceK, int globalBatch, int tp, int pp, int dp, int cp, double tflops)
    {
        int gpus = tp * pp * dp * cp, sequence = sequenceK * 1024;
        string sp = tp > 1 ? "true" : "false";
        return new(
            Name: $"nemo-llama2-7b-seq{sequenceK}k-cp{cp}",
            System: $"Llama 2 7B on {gpus} H100 (DGX H100), TP {tp} x PP {pp} x DP {dp} x CP {cp}, sequence {sequenceK}K, global batch {globalBatch}, FP8",
            Source: NemoLongSequenceSource,
            Metric: "mfu",
            Measured: tflops / 989,
            Unit: "of peak",
            ScenarioYaml: $$$"""
                name: nemo-llama2-7b-seq{{{sequenceK}}}k
                cluster: {preset: dgx-h100, nodes: {{{(gpus + 7) / 8}}}, fabric: rail_optimized}
                network: {backend: analytical, collective: ring}
                model: {gpt: {layers: 32, hidden: 4096, heads: 32, ffn_hidden: 11008, gated_ffn: true, tied_embeddings: false, sequence: {{{sequence}}}, vocabulary: 32000}}
                compute: {precision: fp8, fp8: {recipe: delayed}}
                training: {mode: pipeline, micro_batch: 1, iterations: 1}
                pipeline: {stages: {{{pp}}}, global_batch: {{{globalBatch}}}, tensor_parallel: {{{tp}}}, context_parallel: {{{cp}}}, data_parallel: {{{dp}}}, sequence_parallel: {{{sp}}}, use_distributed_optimizer: true, recompute: none}
                outputs: {timeline: false, report: false}
                """,
            Caveats: $"Measured {tflops} TFLOP/s per GPU (NeMo counts model FLOPs with the unmasked attention, as the simulator does: its Llama 2 7B FP8 row in " +
                     "performance_summary.md, NeMo 24.07, gives 776 TFLOP/s at 16,847 tokens/s/GPU, 46.1 GFLOP per 4K-sequence token = the unmasked count). " +
                     "The table gives the layout only; assumed at every point: micro-batch 1 (NeMo's Llama 2 7B recipe), no recomputation, sequence parallelism with TP, " +
                     "the distributed optimizer, no TP communication overlap, CP as Megatron-Core's default ring (p2p), FP8 with delayed scaling on the linear GEMMs only (attention in BF16).",
            SourceKey: "NeMo long sequence (NVIDIA 2024)");
    }

    private const string TorchTitanSource = "PyTorch torchtitan repository, benchmarks/llama3_h100_202412_torchtitan.md (torch 1963fc8 of 2024/12/23, torchtitan 9dec370): " +
        "TPS/GPU, Grand Teton hosts, 8 H100 96GB (2.4 TB/s) per host at 500 W, 400 Gb/s RDMA per GPU";

    private const string Fa2Caveat = "Attention is FlashAttention-2 (model.attention: flash2): from PyTorch 2.5.1 on, cuDNN's SDPA is the last backend tried unless asked for " +
        "(pytorch/pytorch PR #138522, merged 2024-10-22; issue #142132: the 2024-12-04 nightly picks flash on H100), so the flash backend ran. " +
        "PyTorch's context parallel with the allgather rotation (cp_comm_type: torch_allgather): K/V gathered under the rank's own step, the load-balanced ring's kernels, " +
        "partial outputs merged and gradients accumulated in FP32, dK/dV passed round the ring in FP32 (torch/distributed/tensor/experimental/_attention.py). " +
        "torchtitan's Llama (torchtitan 9dec370, torchtitan/models/llama/model.py) expands K/V to every query head before SDPA (repeat_kv), so CP moves all heads' K/V (model.gpt.repeat_kv).";

    /// <summary>One point of torchtitan's Llama 3.1 8B CP sweep on one 8-GPU host: FSDP <paramref name="fsdp"/> x CP <paramref name="cp"/>.</summary>
    private static PublishedMeasurement TorchTitanLlama8b(int sequence, int fsdp, int cp, double tokensPerGpu) => new(
        Name: $"torchtitan-llama31-8b-seq{sequence / 1024}k-cp{cp}",
        System: $"Llama 3.1 8B on 8 H100 (FSDP {fsdp} x CP {cp}, torch.compile, Float8, full activation checkpointing, local batch 1), sequence {sequence}",
        Source: TorchTitanSource + ", Table 2 (FSDP + CP + torch.compile + Float8, Llama 3.1 8B, 8 GPUs, local batch 1, full activation checkpointing)",
        Metric: "tokens_per_s",
        Measured: tokensPerGpu * 8,
        Unit: "tokens/s",
        ScenarioYaml: $$$"""
            name: torchtitan-llama31-8b-cp{{{cp}}}
            cluster: {preset: dgx-h100, nodes: 1, fabric: rail_optimized}
            network: {backend: analytical, collective: ring}
            model: {gpt: {layers: 32, hidden: 4096, heads: 32, kv_heads: 8, repeat_kv: true, ffn_hidden: 14336, gated_ffn: true, tied_embeddings: false, sequence: {{{sequence}}}, vocabulary: 128256}, attention: flash2}
            compute: {precision: fp8, fp8: {recipe: tensorwise}, compile: true}
            training: {mode: pipeline, micro_batch: 1, iterations: 1}
            pipeline: {stages: 1, microbatches: 1, tensor_parallel: 1, context_parallel: {{{cp}}}, cp_comm_type: torch_allgather, data_parallel: {{{fsdp}}}, zero_stage: 3, recompute: full}
            outputs: {timeline: false, report: false}
            """,
        Caveats: $"Measured {tokensPerGpu} tokens/s per GPU at 500 W on 96 GB / 2.4 TB/s H100s; only the ratio is compared. " +
                 Fa2Caveat + " Float8 as tensorwise scaling of the linear GEMMs.",
        SourceKey: "torchtitan CP (PyTorch 2024)");

    /// <summary>One point of torchtitan's Llama 3.1 405B 4D sweep on 512 GPUs: TP 8 x PP 8 (1F1B) x FSDP <paramref name="fsdp"/> x CP <paramref name="cp"/>, local batch 8.</summary>
    private static PublishedMeasurement TorchTitanLlama405b(int sequence, int fsdp, int cp, double tokensPerGpu) => new(
        Name: $"torchtitan-llama31-405b-seq{sequence / 1024}k-cp{cp}",
        System: $"Llama 3.1 405B on 512 H100 (TP 8 x PP 8 1F1B x FSDP {fsdp} x CP {cp}, torch.compile, Float8, async TP, full activation checkpointing, local batch 8), sequence {sequence}",
        Source: TorchTitanSource + ", Table 6 (4D parallelism FSDP + TP + PP + CP, Llama 3.1 405B, 512 GPUs, local batch 8, full activation checkpointing)",
        Metric: "tokens_per_s",
        Measured: tokensPerGpu * 512,
        Unit: "tokens/s",
        ScenarioYaml: $$$"""
            name: torchtitan-llama31-405b-cp{{{cp}}}
            cluster: {preset: dgx-h100, nodes: 64, fabric: rail_optimized}
            network: {backend: analytical, collective: ring}
            model: {gpt: {layers: 126, hidden: 16384, heads: 128, kv_heads: 8, repeat_kv: true, ffn_hidden: 53248, gated_ffn: true, tied_embeddings: false, sequence: {{{sequence}}}, vocabulary: 128256}, attention: flash2}
            compute: {precision: fp8, fp8: {recipe: tensorwise}, compile: true}
            training: {mode: pipeline, micro_batch: 1, iterations: 1}
            pipeline: {schedule: 1f1b, stages: 8, microbatches: 8, tensor_parallel: 8, context_parallel: {{{cp}}}, cp_comm_type: torch_allgather, data_parallel: {{{fsdp}}}, zero_stage: 3, sequence_parallel: true, async_tensor_parallel: true, recompute: full, partition: balanced}
            outputs: {timeline: false, report: false}
            """,
        Caveats: $"Measured {tokensPerGpu} tokens/s per GPU at 500 W on 96 GB / 2.4 TB/s H100s; only the ratio is compared. Local batch 8 as 8 micro-batches of 1 (torchtitan's default: as many micro-batches as stages). " +
                 Fa2Caveat + " Float8 as tensorwise scaling of the linear GEMMs.",
        SourceKey: "torchtitan CP (PyTorch 2024)");

    /// <summary>Every published CP scaling curve.</summary>
    public static IReadOnlyList<PublishedCurve> All { get; } =
    [
        new("nemo-llama2-7b-fp8-h100-long-sequence",
        [
            NemoLlama2(4, 1024, tp: 1, pp: 1, dp: 4, cp: 1, 768),
            NemoLlama2(8, 512, tp: 1, pp: 2, dp: 4, cp: 1, 730),
            NemoLlama2(16, 256, tp: 2, pp: 1, dp: 8, cp: 1, 660),
            NemoLlama2(32, 128, tp: 2, pp: 1, dp: 8, cp: 2, 610),
            NemoLlama2(64, 64, tp: 4, pp: 1, dp: 8, cp: 2, 574),
            NemoLlama2(128, 32, tp: 4, pp: 1, dp: 8, cp: 4, 555),
            NemoLlama2(256, 16, tp: 4, pp: 1, dp: 8, cp: 8, 549),
            NemoLlama2(512, 8, tp: 8, pp: 1, dp: 4, cp: 16, 549),
            NemoLlama2(1024, 4, tp: 8, pp: 1, dp: 4, cp: 32, 536),
        ]),
        new("torchtitan-llama31-8b-fp8-h100-cp",
        [
            TorchTitanLlama8b(32768, fsdp: 8, cp: 1, 3890),
            TorchTitanLlama8b(65536, fsdp: 4, cp: 2, 2540),
            TorchTitanLlama8b(131072, fsdp: 2, cp: 4, 1071),
            TorchTitanLlama8b(262144, fsdp: 1, cp: 8, 548),
        ]),
        new("torchtitan-llama31-405b-fp8-h100-cp",
        [
            TorchTitanLlama405b(32768, fsdp: 8, cp: 1, 76),
            TorchTitanLlama405b(65536, fsdp: 4, cp: 2, 47),
            TorchTitanLlama405b(131072, fsdp: 2, cp: 4, 31),
            TorchTitanLlama405b(262144, fsdp: 1, cp: 8, 16),
        ]),
    ];
}
