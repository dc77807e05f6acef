using Sim.Models.Collectives;

namespace Sim.Scenarios.Validation;

/// <summary>
/// The catalogue of published measurements the simulator is checked against (Calculon-style
/// validation built into the tool). Every entry names its source, table or figure. All rows run with
/// the same defaults per hardware (the kernel-level compute model and NCCL's collective model); the
/// only per-row settings are facts of the measured system (model shape, parallel layout, batch,
/// recomputation, attention kernel of the era). Nothing here was tuned to these rows.
/// </summary>
public static class PublishedMeasurements
{
    private const string MtNlgSource = "Smith et al., \"Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B\", arXiv:2201.11990 (2022), Section 2.4: iteration latency";
    private const string NarayananSource = "Narayanan et al., \"Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM\", SC'21, Table 1 (achieved TFLOP/s per GPU, recomputation included)";
    private const string KorthikantiSource = "Korthikanti et al., \"Reducing Activation Recomputation in Large Transformer Models\", MLSys 2023 (arXiv:2205.05198), Tables 3 and 5 (end-to-end iteration time)";
    private const string Llama3Source = "Llama Team, \"The Llama 3 Herd of Models\", arXiv:2407.21783 (2024), Table 4 (BF16 MFU of Llama 3 405B pre-training)";

    private static PublishedMeasurement MtNlg(int nodes, double seconds)
    {
        int dp = nodes * 8 / (8 * 35);
        int microbatches = 1920 / dp;
        return new PublishedMeasurement(
            Name: $"mt-nlg-530b-{nodes * 8}-gpus",
            System: $"Megatron-Turing NLG 530B on {nodes} DGX A100 servers ({nodes * 8} A100 GPUs, HDR InfiniBand), TP 8 x PP 35 x DP {dp}, global batch 1920",
            Source: MtNlgSource,
            Metric: "iteration_mean_s",
            Measured: seconds,
            Unit: "s",
            ScenarioYaml: $$$"""
                name: mt-nlg-530b-{{{nodes * 8}}}
                description: MT-NLG 530B, TP 8 x PP 35 x DP {{{dp}}}, 1F1B, full recomputation
                cluster: {preset: dgx-a100, nodes: {{{nodes}}}, fabric: rail_optimized}
                network: {backend: flow, collective: ring}
                model: {gpt: {layers: 105, hidden: 20480, heads: 128, sequence: 2048, vocabulary: 50272}, attention: unfused}
                compute: {precision: bf16}
                training: {mode: pipeline, micro_batch: 1, iterations: 1}
                pipeline: {schedule: 1f1b, stages: 35, microbatches: {{{microbatches}}}, tensor_parallel: 8, data_parallel: {{{dp}}}, recompute: full, partition: uniform}
                outputs: {timeline: false, report: false}
                """,
            Caveats: "Selene DGX A100 nodes with 80GB A100s (paper Section 2.3 and the Microsoft Research announcement; one third-party analysis, cli99/llm-analysis, says 40GB). Trained with DeepSpeed's pipeline engine (2021), not Megatron-LM's; micro-batch size 1 is assumed (not stated; the three published times follow the 1F1B law t (m + p - 1) within 1.1% with micro-batch 2 but only within 4.4% with 1, docs/gpu-costs.md Diagnosis item 3: kept at 1, as choosing it from these times would fit the row to its own measurement). bf16 gradient path of DeepSpeed 2021 not documented (its later BF16 optimizer, pipeline.fp32_gradient_accumulation, is not assumed). Attention unfused (2021, before FlashAttention).",
            SourceKey: "MT-NLG (Smith et al. 2022)");
    }

    /// <summary>
    /// One row of Narayanan et al.'s Table 1 (weak scaling, GPT, sequence 2048, vocabulary 51,200, A100
    /// 80GB on Selene): the achieved TFLOP/s per GPU counts the recomputed forward (their 4x formula),
    /// so it is compared as hardware FLOPs utilisation against 312 TFLOP/s. Micro-batch size, schedule
    /// and recomputation are the authors' own, from the artifact script that reproduces the table
    /// (NVIDIA/Megatron-LM examples/sc21/run_table_1.sh: MBS per row, `--recompute-method uniform`,
    /// `--num-layers-per-virtual-pipeline-stage` for the interleaved rows, fp16).
    /// <paramref name="layersPerChunk"/> 0 means the non-interleaved 1F1B schedule.
    /// </summary>
    private static PublishedMeasurement Narayanan(string size, int layers, int hidden, int heads, int t, int p, int gpus, int batch, int microBatch, int layersPerChunk, double tflops)
    {
        int dp = gpus / (t * p), nodes = gpus / 8, microbatches = batch / (dp * microBatch);
        string schedule = layersPerChunk > 0
            ? $"schedule: interleaved, virtual_stages: {layers / p / layersPerChunk}"
            : "schedule: 1f1b";
        return new PublishedMeasurement(
            Name: $"megatron-gpt-{size}-{gpus}-gpus",
            System: $"GPT {size} ({layers} layers, hidden {hidden}, {heads} heads) on {gpus} A100 80GB (Selene, DGX A100, HDR InfiniBand), TP {t} x PP {p} x DP {dp}, batch {batch}, micro-batch {microBatch}" +
                    (layersPerChunk > 0 ? $", interleaved ({layersPerChunk} layers per virtual stage)" : ""),
            Source: NarayananSource,
            Metric: "hfu",
            Measured: tflops / 312,
            Unit: "of peak",
            ScenarioYaml: $$$"""
                name: megatron-gpt-{{{size}}}
                cluster: {preset: dgx-a100, nodes: {{{nodes}}}, fabric: rail_optimized}
                network: {backend: flow, collective: ring}
                model: {gpt: {layers: {{{layers}}}, hidden: {{{hidden}}}, heads: {{{heads}}}, sequence: 2048, vocabulary: 51200}, attention: unfused}
                compute: {precision: fp16}
                training: {mode: pipeline, micro_batch: {{{microBatch}}}, iterations: 1}
                pipeline: {{{{schedule}}}, stages: {{{p}}}, microbatches: {{{microbatches}}}, tensor_parallel: {{{t}}}, data_parallel: {{{dp}}}, recompute: full, partition: uniform, overlap_grad_reduce: false}
                outputs: {timeline: false, report: false}
                """,
            Caveats: $"Measured {tflops} TFLOP/s per GPU. Layout, micro-batch and schedule from the authors' examples/sc21/run_table_1.sh; attention unfused (2021, container pytorch:20.12). " +
                     "Gradients all-reduced after the whole pipeline schedule, every model chunk at once (Megatron-LM 2021 megatron/training.py train_step: model_module.allreduce_gradients() after forward_backward_func; pipeline.overlap_grad_reduce: false).",
            SourceKey: "Megatron-LM (Narayanan et al. 2021)");
    }

    /// <summary>
    /// Korthikanti et al.: GPT models on Selene A100 80GB, sequence 2048, vocabulary 51,200 (Table 3
    /// layouts), end-to-end iteration time with full recomputation and with their selective
    /// recomputation plus sequence parallelism (Table 5).
    /// </summary>
    private static PublishedMeasurement Korthikanti(string size, int layers, int hidden, int heads, int p, int gpus, int batch, int microBatch, bool selective, double seconds)
    {
        int dp = gpus / (8 * p), nodes = gpus / 8, microbatches = batch / (dp * microBatch);
        string variant = selective ? "selective recompute + sequence parallel" : "full recompute";
        return new PublishedMeasurement(
            Name: $"korthikanti-{size}-{(selective ? "selective-sp" : "full")}",
            System: $"GPT {size} on {gpus} A100 80GB (Selene), TP 8 x PP {p}, batch {batch}, micro-batch {microBatch}, {variant}",
            Source: KorthikantiSource,
            Metric: "iteration_mean_s",
            Measured: seconds,
            Unit: "s",
            ScenarioYaml: $$$"""
                name: korthikanti-{{{size}}}
                cluster: {preset: dgx-a100, nodes: {{{nodes}}}, fabric: rail_optimized}
                network: {backend: flow, collective: ring}
                model: {gpt: {layers: {{{layers}}}, hidden: {{{hidden}}}, heads: {{{heads}}}, sequence: 2048, vocabulary: 51200}, attention: unfused}
                compute: {precision: bf16}
                training: {mode: pipeline, micro_batch: {{{microBatch}}}, iterations: 1}
                pipeline: {schedule: 1f1b, stages: {{{p}}}, microbatches: {{{microbatches}}}, tensor_parallel: 8, data_parallel: {{{dp}}}, recompute: {{{(selective ? "selective" : "full")}}}, sequence_parallel: {{{(selective ? "true" : "false")}}}, partition: uniform}
                outputs: {timeline: false, report: false}
                """,
            Caveats: "Attention unfused (2022). Schedule assumed non-interleaved 1F1B.",
            SourceKey: "Megatron-LM (Korthikanti et al. 2022)");
    }

    /// <summary>
    /// Meta's pipeline layout for Llama 3 405B (paper Section 3.3.2): "we reduce one Transformer layer
    /// each from the first and the last stages ... the first model chunk on the first stage has only the
    /// embedding, and the last model chunk on the last stage has only output projection and loss
    /// calculation", interleaved with V stages per rank (bubble (PP - 1)/(V M)). The 126 blocks plus the
    /// embedding and the output layer are 128 layers; equal chunks in which the first is the embedding
    /// alone are one layer each, so the 16 ranks hold V = 128 / 16 = 8 chunks. V is not stated in the
    /// paper; this is the only equal-chunk layout its description allows.
    /// </summary>
    internal static readonly string Llama3PipelineLayout =
        $"schedule: interleaved, virtual_stages: 8, layers_per_stage: [{string.Join(", ", Enumerable.Repeat(1, 128))}]";

    /// <summary>
    /// Llama 3 405B (126 layers, hidden 16384, 128 heads, 8 KV heads, SwiGLU FFN 53248, vocabulary
    /// 128,256, sequence 8192) on H100 80GB at 700 W, TP 8 x PP 16 x DP, batch per DP group as in Table 4
    /// (micro-batch 1, so 32 or 16 micro-batches per step), in Meta's pipeline layout
    /// (<see cref="Llama3PipelineLayout"/>).
    /// </summary>
    private static PublishedMeasurement Llama3(int gpus, int dp, int perDp, double tflops) => new(
        Name: $"llama3-405b-{gpus}-gpus",
        System: $"Llama 3 405B on {gpus} H100 (Meta RoCE / InfiniBand clusters), TP 8 x PP 16 x DP {dp}, sequence 8192, {perDp} sequences per DP group",
        Source: Llama3Source,
        Metric: "mfu",
        Measured: tflops / 989,
        Unit: "of peak",
        ScenarioYaml: $$$"""
            name: llama3-405b-{{{gpus}}}
            cluster: {preset: dgx-h100, nodes: {{{gpus / 8}}}, fabric: rail_optimized}
            network: {backend: analytical, collective: ring}
            model: {gpt: {layers: 126, hidden: 16384, heads: 128, kv_heads: 8, ffn_hidden: 53248, gated_ffn: true, tied_embeddings: false, sequence: 8192, vocabulary: 128256}}
            compute: {precision: bf16}
            training: {mode: pipeline, micro_batch: 1, iterations: 1, gradient_bytes: 4}
            pipeline: {{{{Llama3PipelineLayout}}}, stages: 16, microbatches: {{{perDp}}}, tensor_parallel: 8, data_parallel: {{{dp}}}, recompute: none, zero_stage: 1, overlap_param_gather: true}
            outputs: {timeline: false, report: false}
            """,
        Caveats: $"Measured {tflops} TFLOP/s per GPU (BF16 MFU). Meta's network is RoCE (24K-GPU clusters), simulated as the DGX H100 preset's InfiniBand (analytical network); Meta's interleaved schedule with one layer fewer on the first and last stages (Section 3.3.2): 128 one-layer chunks, v = 8 (derived from the stated layout, V not stated); Meta's tunable N is not simulated (Megatron's grouping N = PP, which 16 and 32 micro-batches allow); asynchronous point-to-point as the simulator always sends. Data parallelism as Section 3.3.2 states it: FSDP sharding optimizer states and gradients, the weights not resharded after the forward (so gathered once per step), \"asynchronously prefetching sharded model weights and reducing gradients\": zero_stage 1 (gradients accumulated over the micro-batches, reduce-scattered after each chunk's last backward, each rank stepping its 1/DP shard) with the updated weights' all-gather overlapped with the next forwards (overlap_param_gather). Gradients reduce-scattered in FP32 (Section 3.3.2, Numerical stability: training.gradient_bytes 4). Their FP32 accumulation over micro-batches is not costed: whether it runs fused into the weight-gradient GEMMs (no extra pass) or as a separate cast-and-add (10-18 bytes per parameter per micro-batch) the paper does not say.",
        SourceKey: "Llama 3 (Meta 2024)");

    private const string FlashTrainingSource = "Dao-AILab/flash-attention, training/README.md, \"Training speed\" table (GPT3 on The Pile, 8 x A100 80GB SXM4 400W with NVLink, tokens/sec per node); batch sizes from training/configs/experiment/pile/*.yaml";

    /// <summary>
    /// One row of the FlashAttention repository's GPT-3 training-speed table: one 8-GPU A100 80GB node,
    /// data parallel (PyTorch Lightning DDP; ZeRO-1 optimizer sharding where the experiment sets it),
    /// bf16, sequence 2048, FlashAttention-1 (the table dates from 29 November 2022, commit 4a6eaa9f, and was
/// never changed after January 2023; FlashAttention-2 was released 17 July 2023), no activation checkpointing, GPT-2 vocabulary padded to a
    /// multiple of 8 (50,264), tied embeddings. The per-GPU batch is the experiment file's choice for
    /// 80 GB GPUs; the global batch (0.5M or 1M tokens) is reached by gradient accumulation.
    /// </summary>
    private static PublishedMeasurement FlashGpt3(string size, int layers, int hidden, int heads, int perGpuBatch, int globalBatch, bool zero1, double tokensPerSecond)
    {
        int accumulation = globalBatch / (8 * perGpuBatch);
        return new PublishedMeasurement(
            Name: $"flash-gpt3-{size}-8-gpus",
            System: $"GPT3-{size} ({layers} layers, hidden {hidden}, {heads} heads) on one 8 x A100 80GB SXM4 node, data parallel 8, {perGpuBatch} sequences per GPU x {accumulation} accumulation steps, global batch {globalBatch} x 2048 tokens",
            Source: FlashTrainingSource,
            Metric: "tokens_per_s",
            Measured: tokensPerSecond,
            Unit: "tokens/s",
            ScenarioYaml: $$$"""
                name: flash-gpt3-{{{size}}}
                cluster: {preset: dgx-a100, nodes: 1}
                network: {backend: flow, collective: ring}
                model: {gpt: {layers: {{{layers}}}, hidden: {{{hidden}}}, heads: {{{heads}}}, sequence: 2048, vocabulary: 50264}, attention: flash1}
                compute: {precision: bf16}
                training: {mode: pipeline, micro_batch: {{{perGpuBatch}}}, iterations: 1}
                pipeline: {schedule: 1f1b, stages: 1, microbatches: {{{accumulation}}}, tensor_parallel: 1, data_parallel: 8, recompute: none, zero_stage: {{{(zero1 ? 1 : 0)}}}, partition: uniform}
                outputs: {timeline: false, report: false}
                """,
            Caveats: "The repository fuses matmul+bias+GeLU, dropout+residual+LayerNorm and cross-entropy (fewer memory-bound kernels than simulated); FlashAttention-1 ran (the table was added 29 Nov 2022, commit 4a6eaa9f, before FlashAttention-2's release on 17 Jul 2023), costed at the FlashAttention-2 kernel figures times the A100's measured FA1/FA2 speed. DDP's overlap of the last micro-batch's all-reduce with its backward is not simulated (the all-reduce follows it).",
            SourceKey: "FlashAttention training README (Dao)");
    }

    /// <summary>
    /// BLOOM-176B (BigScience 2022) on Jean Zay: 48 nodes of 8 A100 80GB with four 100 Gb/s Omni-Path
    /// links each (preset jean-zay-a100), TP 4 x PP 12 x DP 8, Megatron-DeepSpeed, bf16, global batch
    /// 2048 of 2048 tokens, micro-batch 2, full activation checkpointing; about 150 TFLOP/s per GPU as
    /// Megatron-DeepSpeed counts it (recomputation included), compared as HFU. DeepSpeed's BF16 optimizer
    /// ran (the training script sets ZeRO stage 0 because "bf16 must use z0! it implements its own zero
    /// stage 1 equivalent"): fp32 gradient accumulation after every backward and an fp32 all-reduce.
    /// </summary>
    private static PublishedMeasurement Bloom() => new(
        Name: "bloom-176b-384-gpus",
        System: "BLOOM 176B (70 layers, hidden 14336, 112 heads, vocabulary 250,680 padded to 250,880) on 384 A100 80GB (Jean Zay, 48 nodes, 4 x 100 Gb/s Omni-Path per node), TP 4 x PP 12 x DP 8, global batch 2048, micro-batch 2",
        Source: "BigScience, \"BLOOM: A 176B-Parameter Open-Access Multilingual Language Model\", arXiv:2211.05100 (2022), hardware and training sections (48 nodes of 8 A100 80GB, four Omni-Path 100 Gbps links per node, global batch 2048, bf16); BigScience 176B model card (\"one copy of the model takes 48 GPUs\", \"training throughput: about 150 TFLOPs\"); bigscience train/tr11-176B-ml/chronicles.md (\"at 149-150 TFLOPs per GPU\", \"A single train iteration is about 105 secs\")",
        Metric: "hfu",
        Measured: 150.0 / 312,
        Unit: "of peak",
        ScenarioYaml: """
            name: bloom-176b
            cluster: {preset: jean-zay-a100, nodes: 48, fabric: single_switch}
            network: {backend: flow, collective: ring}
            model: {gpt: {layers: 70, hidden: 14336, heads: 112, sequence: 2048, vocabulary: 250880}, attention: unfused}
            compute: {precision: bf16}
            training: {mode: pipeline, micro_batch: 2, iterations: 1, gradient_bytes: 4}
            pipeline: {schedule: 1f1b, stages: 12, microbatches: 128, tensor_parallel: 4, data_parallel: 8, recompute: full, fp32_gradient_accumulation: true, zero_stage: 1, layers_per_stage: [6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6]}
            outputs: {timeline: false, report: false}
            """,
        Caveats: "\"About 150\" is a rounded figure (the logs: 149.0-149.8 TFLOPs at 104.7-105.2 s per iteration). Network: four 100 Gb/s Omni-Path links per node (the paper; its topology, an enhanced hypercube, is simulated as one non-blocking switch; Omni-Path carried as an RDMA fabric like InfiniBand). DeepSpeed's BF16 optimizer: after every micro-batch backward the bf16 gradients are cast and added into fp32 buffers (deepspeed/runtime/pipe/engine.py _exec_backward_pass -> update_hp_grads; pipeline.fp32_gradient_accumulation) and the data-parallel all-reduce moves those fp32 buffers (_bf16_reduce_grads -> get_grads_for_reduction; training.gradient_bytes 4). That optimizer shards its fp32 state over the data-parallel group like ZeRO-1 (zero_stage 1 here; the script sets DeepSpeed's ZeRO stage 0 because the BF16 optimizer brings its own): each rank steps 1/8 of it, then the bf16 parameters are all-gathered. The tied LM head's copy on the last stage and its gradient all-reduce with the first stage are simulated (TiedEmbeddingSync). Not simulated: ALiBi and the embedding LayerNorm. The script's CUDA_LAUNCH_BLOCKING=1 is not simulated: tr11's README says it \"makes a tiny impact or no impact at all to the throughput\". Partition as the training script sets it (--pp-partition-method 'type:transformer|embedding'): the 70 blocks and the 2 embedding layers (input embedding, tied LM head) counted alike, 6 per stage, so the first stage holds the embedding and 5 blocks and the last 5 blocks and the 250,880-wide logits. TP 4 x PP 12 (the 48-GPU copy), micro-batch 2 and the partition are from BigScience's tr11-176B-ml training script (train/tr11-176B-ml/tr11-176B-ml.slurm), not the paper; the same layout with 112 heads measured 104.50 s/it, 150.05 TFLOPs in BigScience's pre-launch benchmark (chronicles-prequel.md, 02-28 table). Vocabulary 250,680 padded to 250,880 as Megatron-DeepSpeed pads it.",
        SourceKey: "BLOOM (BigScience 2022)");

    private static PublishedMeasurement Nccl(string name, string system, string source, string key, string preset, double bytes, double busbw, string caveats) => new(
        Name: name, System: system, Source: source, Metric: "busbw_GBps", Measured: busbw, Unit: "GB/s", ScenarioYaml: "", Caveats: caveats,
        SourceKey: key, Collective: new CollectiveProbe(preset, 1, CollectiveKind.AllReduce, bytes));

    public static IReadOnlyList<PublishedMeasurement> All { get; } =
    [
        MtNlg(280, 60.1),
        MtNlg(350, 50.2),
        MtNlg(420, 44.4),
        Narayanan("1.7b", 24, 2304, 24, 1, 1, 32, 512, 16, 0, 137),
        Narayanan("3.6b", 30, 3072, 32, 2, 1, 64, 512, 16, 0, 138),
        Narayanan("7.5b", 36, 4096, 32, 4, 1, 128, 512, 16, 0, 142),
        Narayanan("18.4b", 40, 6144, 48, 8, 1, 256, 1024, 8, 0, 135),
        Narayanan("39.1b", 48, 8192, 64, 8, 2, 512, 1536, 4, 0, 138),
        Narayanan("76.1b", 60, 10240, 80, 8, 4, 1024, 1792, 2, 5, 140),
        Narayanan("145.6b", 80, 12288, 96, 8, 8, 1536, 2304, 2, 5, 148),
        Narayanan("310.1b", 96, 16384, 128, 8, 16, 1920, 2160, 1, 3, 155),
        Narayanan("529.6b", 105, 20480, 128, 8, 35, 2520, 2520, 1, 1, 163),
        Narayanan("1008b", 128, 25600, 160, 8, 64, 3072, 3072, 1, 0, 163),
        Korthikanti("22b", 48, 6144, 64, 1, 8, 4, 4, false, 1.42),
        Korthikanti("22b", 48, 6144, 64, 1, 8, 4, 4, true, 1.10),
        Korthikanti("175b", 96, 12288, 96, 8, 64, 64, 1, false, 18.13),
        Korthikanti("175b", 96, 12288, 96, 8, 64, 64, 1, true, 13.75),
        Korthikanti("530b", 105, 20480, 128, 35, 280, 280, 1, false, 49.05),
        Korthikanti("530b", 105, 20480, 128, 35, 280, 280, 1, true, 37.83),
        Korthikanti("1t", 128, 25600, 160, 64, 512, 512, 1, false, 94.42),
        Korthikanti("1t", 128, 25600, 160, 64, 512, 512, 1, true, 71.49),
        FlashGpt3("125m", 12, 768, 12, 32, 256, false, 1310e3),
        FlashGpt3("355m", 24, 1024, 16, 16, 256, false, 503e3),
        FlashGpt3("760m", 24, 1536, 16, 16, 256, true, 245e3),
        FlashGpt3("1.3b", 24, 2048, 16, 8, 512, true, 169e3),
        FlashGpt3("2.7b", 32, 2560, 20, 4, 512, true, 85e3),
        Bloom(),
        Llama3(8192, 64, 32, 430),
        Llama3(16384, 128, 16, 400),
        Nccl("nccl-allreduce-8xh100-nvls", "all_reduce_perf on one 8-GPU H100 NVSwitch system with NVLink SHARP, large messages",
            "NVIDIA GTC 2024 talk S62129 (NCCL), NVLS all-reduce bus bandwidth 480 GB/s on H100, as quoted in NVIDIA/nccl issue #1374", "NCCL GTC 2024 (S62129)",
            "dgx-h100", 8.0 * (1L << 30), 480, "The talk gives the plateau; the size is taken as 8 GiB."),
        Nccl("nccl-allreduce-8xa100-512mib", "all_reduce_perf on an HPE Apollo 6500 with 8 A100-SXM4-80GB on NVSwitch, NCCL 2.18.1, 512 MiB",
            "NVIDIA/nccl-tests issue #149 (2023): busbw about 200 GB/s", "nccl-tests #149",
            "dgx-a100", 1L << 29, 200, "\"about 200 GB/s\" as the reporter summarises the table. The run (-b 8 -e 1G -f 4) ends at 512 MiB, 8 x 4^13 B (the next size, 2 GiB, is past -e 1G), where the maintainer notes the bandwidth \"is still increasing\"."),
        .. NcclTestsRows.All,
        .. RecipeMeasurements.All,
        .. NemoPerformanceSummaryMeasurements.All,
        .. CnnDataParallelMeasurements.All,
        .. MlperfResNetMeasurements.All,
        .. MptFsdpMeasurements.All,
        .. TorchTitanFsdpMeasurements.All,
    ];
}
