namespace Sim.Scenarios.Validation;

/// <summary>
/// Fully sharded data parallel (FSDP FULL_SHARD, i.e. ZeRO-3) training of MosaicML's MPT models, from
/// llm-foundry's training benchmark tables: tokens per second at a stated micro-batch, gradient
/// accumulation, activation checkpointing and mixed-precision mode, on A100 80GB and H100 80GB nodes.
/// Rows taken (chosen by rule before any was simulated): every sequence-2048 row of the A100 80GB table
/// for models of 1B parameters and up, and every FULL_SHARD row at 128 and 512 GPUs of the H100
/// large-scale table. The scenarios state only what the table and the model files state; everything
/// else is the simulator's default for the machine. Nothing here was tuned to these rows.
/// </summary>
public static class MptFsdpMeasurements
{
    private const string Source = "mosaicml/llm-foundry, scripts/train/benchmarking/README.md (commit 5e85bd6, January 2024), tables \"A100 80GB with 1600 Gbps node-node interconnect (RoCE)\" and \"H100 80GB BF16 (Large Scale, >= 128 GPUs)\": Throughput (T/s); model shapes from scripts/train/yamls/pretrain/mpt-*.yaml";

    /// <summary>MPT shapes (d_model, n_heads, n_layers; expansion ratio 4, vocabulary 50,368, head dimension 128).</summary>
    private static readonly Dictionary<string, (int Layers, int Hidden, int Heads)> Shapes = new()
    {
        ["1b"] = (24, 2048, 16), ["3b"] = (32, 2560, 20), ["7b"] = (32, 4096, 32),
        ["13b"] = (40, 5120, 40), ["30b"] = (48, 7168, 56), ["70b"] = (80, 8192, 64),
    };

    /// <summary>One table row. <paramref name="pure"/>: Composer's PURE mixed precision (bf16 gradients
    /// reduced in bf16); DEFAULT gathers bf16 parameters and reduces gradients in fp32 (Composer 0.16-0.17,
    /// composer/trainer/mosaic_fsdp_utils.py get_mixed_precision: param_dtype bf16, reduce_dtype float32).</summary>
    private static PublishedMeasurement Row(string gpu, string size, int gpus, int microBatch, int accumulation, bool checkpointing, bool pure, double tokensPerSecond)
    {
        var (layers, hidden, heads) = Shapes[size];
        string preset = gpu == "a100" ? "dgx-a100" : "dgx-h100";
        return new PublishedMeasurement(
            Name: $"mpt-{size}-fsdp-{gpus}x{gpu}",
            System: $"MPT-{size} ({layers} layers, hidden {hidden}, {heads} heads) on {gpus} {gpu.ToUpperInvariant()} 80GB, FSDP FULL_SHARD over all {gpus} GPUs, micro-batch {microBatch} x {accumulation} accumulation steps, sequence 2048, " +
                    $"{(checkpointing ? "activation checkpointing" : "no activation checkpointing")}, {(pure ? "PURE bf16" : "DEFAULT amp_bf16 (fp32 gradient reduction)")}",
            Source: Source,
            Metric: "tokens_per_s",
            Measured: tokensPerSecond,
            Unit: "tokens/s",
            ScenarioYaml: $$$"""
                name: mpt-{{{size}}}-fsdp-{{{gpus}}}
                cluster: {preset: {{{preset}}}, nodes: {{{gpus / 8}}}, fabric: rail_optimized}
                network: {backend: analytical, collective: ring}
                model: {gpt: {layers: {{{layers}}}, hidden: {{{hidden}}}, heads: {{{heads}}}, sequence: 2048, vocabulary: 50368}, attention: {{{AttentionKernel(gpu, size)}}}{{{(AttentionKernel(gpu, size) == "flash2" ? ", attention_unpad: true" : "")}}}}
                compute: {precision: bf16}
                training: {mode: pipeline, micro_batch: {{{microBatch}}}, iterations: 1, gradient_bytes: {{{(pure ? 2 : 4)}}}}
                pipeline: {stages: 1, microbatches: {{{accumulation}}}, tensor_parallel: 1, data_parallel: {{{gpus}}}, zero_stage: 3, fsdp_version: 1, recompute: {{{(checkpointing ? "full" : "none")}}}}
                outputs: {timeline: false, report: false}
                """,
            Caveats: "The model files set neither no_bias nor alibi, so the benchmarked MPTs have llm-foundry's defaults at that commit (configuration_mpt.py: no_bias False, learned_pos_emb True; blocks.py attn_config_defaults: alibi False): biases and learned position embeddings, as the simulated GPT block has (the released MPT checkpoints' ALiBi and bias-free layers are not what these runs trained). " + AttentionCaveat(gpu, size) +
                     "Composer's FSDP (PyTorch FSDP1, FlatParameter; pipeline.fsdp_version: 1) wraps each block, gathers one block ahead (limit_all_gathers, BACKWARD_PRE) and reduce-scatters each block's gradients after its backward on the same NCCL stream, as simulated; its per-block gradient copies (cat, cast to the reduce dtype, pre-divide) are costed at the device's memory bandwidth. " +
                     (gpu == "a100" ? "The A100 cluster's network is RoCE at 1600 Gb/s per node, simulated as the DGX A100 preset's eight 200 Gb/s InfiniBand NICs. "
                                    : "Mixed precision as the table's MP Mode column says (DEFAULT: fp32 gradient reduction); sweep.py's base arguments say PURE. ") +
                     "Throughput from a short benchmark run (Composer's speed monitor).",
            SourceKey: "MosaicML llm-foundry FSDP benchmarks");
    }

    /// <summary>FlashAttention-2 where the repository says it ran (H100 MPT-7B and 70B); elsewhere MPT's Triton kernel, which on
    /// A100 runs at FlashAttention-1's speed (FlashAttention-2 paper, Fig. 4d), so flash1 on both devices (on H100 at FlashAttention-1's
    /// measured H100 speed: the Triton kernel's own H100 speed is not measured).</summary>
    private static string AttentionKernel(string gpu, string size) => gpu == "h100" && size is "7b" or "70b" ? "flash2" : "flash1";

    /// <summary>The attention kernel that ran, as far as the repository says, and how it is costed.</summary>
    private static string AttentionCaveat(string gpu, string size) => gpu == "h100" && size is "7b" or "70b"
        ? "Attention: FlashAttention-2 (flash-attn 2.4.2, attn_impl flash in scripts/train/benchmarking/sweep.py, added with the table), costed as model.attention: flash2 (FlashAttention-2 against cuDNN on H100: 298/484 causal forward, 291/465 backward, FlashAttention-3 paper Figs. 5-6). llm-foundry's flash path (llmfoundry/models/layers/attention.py flash_attn_fn) calls flash_attn_varlen_func between flash_attn.bert_padding's unpad_input on q, k, v and pad_input on the output, full copies with the reverse in the backward: model.attention_unpad. The .item() and nonzero host synchronisations unpad_input makes (six per block forward) are not costed. "
        : gpu == "h100"
            ? "Attention: MPT's Triton flash-attention kernel (attn_impl triton in sweep.py): llmfoundry/models/layers/flash_attn_triton.py, a copy of HazyResearch/flash-attention's flash_attn_triton.py (commit eff9fe6) compiled by triton-pre-mlir (setup.py: the triton_pre_mlir_sm90 branch of a pre-MLIR Triton fork), a Triton that predates Hopper's warpgroup MMA and TMA (TUTORIAL.md at the same commit: its compile path uses LLVM 11, which does not know sm_90, \"'sm_90' is not a recognized processor for this target\"). Its H100 speed is not measured. On A100 the FlashAttention-2 paper measures this kernel at FlashAttention-1's speed (Fig. 4d: 68 against 69 TFLOP/s, causal, d=128, 2k), MosaicML's TUTORIAL.md says \"triton is slightly faster than flash\" (flash: flash-attn 1.0.9, the gpu extra), and FlashAttention-1 is likewise an Ampere-instruction kernel, so it is costed as model.attention: flash1 at FlashAttention-1's measured H100 speed (108 / 265 of FlashAttention-2, flash-attention assets/flash2_h100_fwd_bwd_benchmark.png): an assumption carried from A100, not an H100 measurement of the Triton kernel. "
            : "Attention: attn_impl triton, the default of submit_benchmarks.py and of the model files when the table was produced (October 2023): llmfoundry/models/layers/flash_attn_triton.py, a copy of HazyResearch/flash-attention's flash_attn/flash_attn_triton.py (commit eff9fe6), the kernel the FlashAttention-2 paper measures as \"FlashAttention Triton\" on A100 (Fig. 4d, assets/flash2_a100_fwd_bwd_benchmark.png; causal, head dimension 128, forward + backward at sequence 2k: 68 TFLOP/s against FlashAttention-1's 69 and FlashAttention-2's 155), so it is costed as model.attention: flash1 (the FlashAttention-1 kernel: half FlashAttention-2's speed on this device; the figure's 68 / 155 = 0.44 would make it 12% slower still). ";

    public static IReadOnlyList<PublishedMeasurement> All { get; } =
    [
        Row("a100", "1b", 8, 14, 4, false, false, 164109),
        Row("a100", "3b", 8, 10, 2, false, false, 86491),
        Row("a100", "7b", 8, 6, 2, false, false, 37130),
        Row("a100", "13b", 8, 2, 3, false, false, 18097),
        Row("a100", "30b", 8, 3, 21, true, false, 7330),
        Row("a100", "70b", 32, 2, 16, true, true, 11962),
        Row("a100", "70b", 64, 8, 4, true, true, 26274),
        Row("h100", "7b", 128, 6, 1, false, false, 1340830),
        Row("h100", "7b", 512, 6, 1, false, false, 4951479),
        Row("h100", "13b", 128, 16, 1, true, false, 650264),
        Row("h100", "13b", 512, 16, 1, true, false, 2535811),
        Row("h100", "30b", 128, 8, 1, true, false, 281491),
        Row("h100", "30b", 512, 8, 1, true, false, 1083366),
        Row("h100", "70b", 128, 8, 1, true, false, 135490),
        Row("h100", "70b", 512, 8, 1, true, false, 515636),
    ];
}
