namespace Sim.Scenarios.Validation;

/// <summary>
/// FSDP2 (per-parameter sharding, ZeRO-3 over all ranks) training of Llama models on 64 A100 80GB, from
/// torchtitan's infra-metrics tables: tokens per second per GPU at a local batch and activation
/// checkpointing. Rows (a rule fixed before any was simulated): every row whose checkpointing the
/// simulator can state (none or full); "selective layer" (every other block) and "selective op"
/// (torchtitan's per-operator policy) rows are left out because no scenario key says them. The
/// scenarios state only what the tables and the repository state; nothing here was tuned to these rows.
/// </summary>
public static class TorchTitanFsdpMeasurements
{
    private const string Source = "pytorch/torchtitan, docs/performance.md (commit 0413364, April 2024), \"Llama 3 performance numbers\" and \"Llama 2 performance numbers\" tables (WPS per GPU, FSDP2 on 64 A100 80GB); " +
                                  "bf16 parameters with fp32 gradient reduction from torchtitan/parallelisms/parallelize_llama.py (MixedPrecisionPolicy), compile off in train_configs";

    private static PublishedMeasurement Row(string name, string system, string model, int sequence, int vocabulary, int localBatch, bool fullCheckpointing, double tokensPerGpu) => new(
        Name: $"torchtitan-{name}-fsdp-64xa100",
        System: $"{system} on 64 A100 80GB, FSDP2 over all 64 GPUs, local batch {localBatch}, sequence {sequence}, {(fullCheckpointing ? "full activation checkpointing" : "no activation checkpointing")}",
        Source: Source,
        Metric: "tokens_per_s",
        Measured: tokensPerGpu * 64,
        Unit: "tokens/s",
        ScenarioYaml: $$$"""
            name: torchtitan-{{{name}}}-fsdp
            cluster: {preset: dgx-a100, nodes: 8, fabric: rail_optimized}
            network: {backend: analytical, collective: ring}
            model: {gpt: {{{{model}}}, sequence: {{{sequence}}}, vocabulary: {{{vocabulary}}}}, attention: flash}
            compute: {precision: bf16}
            training: {mode: pipeline, micro_batch: {{{localBatch}}}, iterations: 1, gradient_bytes: 4}
            pipeline: {stages: 1, microbatches: 1, tensor_parallel: 1, data_parallel: 64, zero_stage: 3, fsdp_version: 2, recompute: {{{(fullCheckpointing ? "full" : "none")}}}}
            outputs: {timeline: false, report: false}
            """,
        Caveats: $"Measured {tokensPerGpu} tokens/s per GPU. The table does not name the A100 machines or their network; the DGX A100 preset (eight 200 Gb/s InfiniBand NICs per node) is assumed. " +
                 "Attention is PyTorch SDPA (the FlashAttention-2 kernel on A100), as costed. FSDP2 gathers one block ahead and reduce-scatters each block's gradients after its backward, as simulated (pipeline.fsdp_version: 2 also costs its copy-out after every gather and copy-in before every reduce-scatter). " +
                 "RoPE and RMSNorm are costed as the GPT block's position-free LayerNorm kernels.",
        SourceKey: "torchtitan FSDP2 on A100 (PyTorch 2024)");

    private const string Llama70 = "layers: 80, hidden: 8192, heads: 64, kv_heads: 8, ffn_hidden: 28672, gated_ffn: true, tied_embeddings: false";

    public static IReadOnlyList<PublishedMeasurement> All { get; } =
    [
        Row("llama3-70b", "Llama 3 70B", Llama70, 8192, 128256, 1, true, 331),
        Row("llama2-13b", "Llama 2 13B", "layers: 40, hidden: 5120, heads: 40, ffn_hidden: 13824, gated_ffn: true, tied_embeddings: false", 4096, 32000, 2, false, 2162),
        Row("llama2-70b", "Llama 2 70B", Llama70, 4096, 32000, 2, true, 353),
    ];
}
