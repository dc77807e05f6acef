using Sim.Models.Hardware;
using Sim.Models.Workloads;
using Sim.Scenarios.Schema;
using Sim.Scenarios.Training.Backends;
using Sim.Scenarios.Training.Modes;
using static Sim.Scenarios.Schema.Schemas;

namespace Sim.Scenarios.Training;

/// <summary>
/// The shape of a training scenario file: every key, its type, range, default and meaning. One
/// declaration serves validation (unknown keys, wrong types and impossible values are errors with
/// file, line and key path) and the generated reference, docs/scenario-schema.md.
/// </summary>
public static class TrainingScenarioSchema
{
    // Physical limits: every number a model uses must be finite and within what any real job could
    // ask, so that no value overflows an int or a double downstream. Deliberately generous: the
    // largest published models have ~100-200 layers and hidden sizes ~20k (GPT-3: 96 x 12288,
    // Brown et al. 2020), tensor parallelism stays inside one node (at most 1024 GPUs per NVLink
    // domain, NVIDIA GB200 NVL576 is the largest announced), gradients are at most 16 bytes per element.
    private const long MaxLayers = 100_000;
    private const double MaxSeconds = 3.2e9;   // a century, in seconds
    // A repeating step must advance the clock: 1e-300 s added to a clock of days is lost to rounding,
    // so the run would never end. A millisecond is far below any real retry or checkpoint period.
    private const double MinStepSeconds = 1e-3;
    private const double MaxSlowdown = 1_000;  // a worker 1000x slower than its peers

    /// <summary>The training modes (from <see cref="TrainingModes"/>).</summary>
    public static readonly string[] Modes = TrainingModes.Registry.Names.ToArray();

    public static MapSchema Cluster { get; } = Map(
        Field.Opt("preset", Enum(HardwarePresets.Names.ToArray()), "Server model; its GPUs, NVLink/PCIe, NICs and latencies come from the preset (the files in hardware/*.yaml, each naming its sources); give preset or hardware."),
        Field.Opt("hardware", String(), "A hardware file (server model as YAML, see hardware/ and docs/gpu-costs.md), relative to the scenario file; instead of preset."),
        Field.Req("nodes", Integer(min: 1, max: 1_000_000), "Number of servers."),
        Field.Opt("fabric", Enum("default", "single_switch", "fat_tree2", "fat_tree3", "rail_optimized"), "Network between servers; default: rail-optimised for NVSwitch servers with one NIC per GPU (DGX A100/H100), a single switch otherwise.", "default"),
        Field.Opt("oversubscription", Number(min: 1, max: 1_000), "Fat-tree oversubscription (downlink:uplink bandwidth ratio at the leaves).", "1"));

    public static MapSchema Network { get; } = Map(
        Field.Opt("backend", Enum(NetworkBackends.Registry.Names.ToArray()), NetworkBackends.Describe(), "flow"),
        Field.Opt("collective", Enum("ring", "tree", "rhd", "hierarchical"), "All-reduce algorithm for gradients.", "ring"));

    public static MapSchema Gpt { get; } = Map(
        Field.Req("layers", Integer(min: 1, max: MaxLayers), "Transformer blocks."),
        Field.Req("hidden", Integer(min: 1, max: 1_048_576), "Hidden size h."),
        Field.Req("heads", Integer(min: 1, max: 65_536), "Attention heads."),
        Field.Req("sequence", Integer(min: 1, max: 16_777_216), "Sequence length s."),
        Field.Opt("vocabulary", Integer(min: 1, max: 16_777_216), "Vocabulary size V.", "50257"),
        Field.Opt("kv_heads", Integer(min: 1, max: 65_536), "Key/value heads for grouped-query attention (must divide heads); default: heads (multi-head attention)."),
        Field.Opt("repeat_kv", Boolean(), "K and V are expanded to one per query head before the attention kernel (torchtitan's Llama of 2024: repeat_kv ahead of scaled_dot_product_attention); context parallelism then moves K/V of every query head.", "false"),
        Field.Opt("ffn_hidden", Integer(min: 1, max: 4_194_304), "FFN inner width f; default 4 x hidden."),
        Field.Opt("gated_ffn", Boolean(), "Gated FFN (SwiGLU, Llama): three h x f matrices instead of two.", "false"),
        Field.Opt("tied_embeddings", Boolean(), "The LM head reuses the input embedding (GPT-2/3); false: its own V x h matrix (Llama).", "true"),
        Field.Opt("experts", Integer(min: 1, max: 65_536), "Mixture of experts: FFN experts per block (1: dense). Expert-parallel all-to-all traffic: pipeline.expert_parallel.", "1"),
        Field.Opt("top_k", Integer(min: 1, max: 65_536), "Mixture of experts: experts per token (at most experts).", "1"));

    public static MapSchema Model { get; } = Map(
        Field.Opt("zoo", Enum(ModelZoo.Names.ToArray()), "A model from the zoo (published architectures)."),
        Field.Opt("gpt", Gpt, "A GPT-style decoder from hyperparameters (instead of zoo)."),
        Field.Opt("layers", List(CnnLayerList.Item, minItems: 1), "A convolutional network as a list of layers, each one of conv, batch_norm, relu, max_pool, avg_pool, adaptive_avg_pool, linear (instead of zoo or gpt); FLOPs and parameters follow from the shapes."),
        Field.Opt("input", CnnLayerList.Input, "Input of a model.layers network (default 3 x 224 x 224; or give image_size for a square RGB image)."),
        Field.Opt("image_size", Integer(min: 32, max: 4096), "Input image side for CNNs (default: the model's published size)."),
        Field.Opt("memory_format", Enum("nhwc", "nchw"), "CNNs: the layout the framework keeps feature maps in. nhwc (channels last: TensorFlow's default, PyTorch's channels_last) is what tensor-core convolutions compute in; nchw (PyTorch's default) makes each convolution pass transpose its operands and result (docs/gpu-costs.md).", "nhwc"),
        Field.Opt("mixup", Boolean(), "CNNs: each batch is mixed (mixup) on the GPU in FP32 before the forward pass, as NVIDIA DeepLearningExamples' image_classification/mixup.py does it (c*x + (1-c)*x[perm]: four element-wise kernels, 36 bytes per input element, no backward).", "false"),
        Field.Opt("sequence_length", Integer(min: 1, max: 16_777_216), "Sequence length for zoo transformers (default: published)."),
        Field.Opt("attention", Enum("flash", "flash1", "flash2", "unfused"), "Transformers: one fused flash-attention kernel (flash: the kernel the device's attention figures were measured on, FlashAttention-2 on A100, cuDNN's on Hopper; flash1: the FlashAttention-1 kernel of 2022 to mid-2023; flash2: FlashAttention-2, as flash-attn 2.x and PyTorch's flash SDPA backend run it, at its measured speed relative to the figure kernel), or unfused attention with materialised s x s probabilities (batched GEMMs, softmax, dropout; Megatron-LM before 2023).", "flash"),
        Field.Opt("attention_unpad", Boolean(), "Transformers with flash attention: the framework hands the kernel unpadded (varlen) rows, as llm-foundry's flash path and Hugging Face's FlashAttention-2 path do: q, k and v gathered before the kernel and the output scattered back into a zero-filled tensor after it (flash_attn.bert_padding), the reverse in the backward; full copies at memory bandwidth even when nothing is padding.", "false"));

    public static MapSchema Fp8 { get; } = Map(
        Field.Opt("recipe", Enum("delayed", "tensorwise"), "Scaling recipe (Megatron-Core --fp8-recipe): delayed (amax history, cast records amax in one pass) or tensorwise (current per-tensor scaling: one more read pass per cast).", "delayed"));

    public static MapSchema Compute { get; } = Map(
        Field.Opt("precision", Enum("fp32", "tf32", "fp16", "bf16", "fp8"), "Arithmetic precision of the matrix work (selects the device's peak FLOP/s). fp8: Transformer Engine style FP8 training (FP8 GEMMs in the block's linear layers with their casts, BF16 elsewhere; MFU against the BF16 peak; needs the kernels compute model; docs/gpu-costs.md).", "bf16"),
        Field.Opt("fp8", Fp8, "FP8 recipe (with precision: fp8), named as Megatron-Core / Transformer Engine name it."),
        Field.Opt("compile", Boolean(), "A graph compiler's element-wise fusion: torch.compile (TorchTitan's compile: true) or XLA (TensorFlow --xla). Adjacent memory-bound kernels fuse into one kernel (one launch, intermediates not re-read from HBM); in a CNN the batch norm, ReLU, residual-add and pooling operations between two convolutions fuse across layers. Needs the kernels compute model.", "false"),
        Field.Opt("model", Enum("auto", "kernels", "roofline"), "kernels: each GEMM, convolution (as implicit GEMMs), attention and element-wise kernel costed from its shape on the device (tiles, waves over the SMs, measured efficiencies; docs/gpu-costs.md); roofline: one efficiency for all FLOPs and one for all bytes (the keys below); auto: kernels for models that list their kernels (transformers and CNNs) on devices with kernel figures when no roofline key is given, else roofline.", "auto"),
        Field.Opt("flop_efficiency", Number(min: 0.001, max: 1), "Fraction of peak FLOP/s kernels achieve (roofline); calibrate it with `sim calibrate`.", "0.5"),
        Field.Opt("memory_efficiency", Number(min: 0.001, max: 1), "Fraction of peak memory bandwidth memory-bound kernels achieve.", "0.7"),
        Field.Opt("layer_overhead_us", Number(min: 0, max: 1e6), "Fixed cost per layer pass (kernel launches, framework), microseconds.", "0"),
        Field.Opt("profile", String(), "A calibration profile (`sim calibrate fit`), relative to the scenario file: layer times come from its fitted curves instead of the roofline keys above."));

    public static MapSchema Training { get; } = Map(
        Field.Req("mode", Enum(Modes), TrainingModes.Describe()),
        Field.Req("micro_batch", Integer(min: 1, max: 1_048_576), "Samples per worker per step."),
        Field.Opt("workers", Integer(min: 1), "Workers (GPUs) taking part; default: every GPU of the cluster."),
        Field.Opt("iterations", Integer(min: 1, max: 100_000_000), "Steps to simulate (parameter server ASP/SSP: steps per worker on average).", "100"),
        Field.Opt("gradient_bytes", Positive(max: 16), "Bytes per gradient element: 2 for fp16/bf16 gradients (mixed precision), 4 for fp32.", "2"),
        Field.Opt("bucket_mb", Positive(max: 1_048_576), "Gradient bucket size in MiB (PyTorch DDP bucket_cap_mb).", "25"),
        Field.Opt("first_bucket_mb", Positive(max: 1_048_576), "First bucket size in MiB (DDP uses 1).", "1"),
        Field.Opt("overlap", Boolean(), "Overlap gradient all-reduce with backward (DDP); false: all-reduce after backward.", "true"),
        Field.Opt("comm_sms", Integer(min: 0, max: 1024), "SMs an overlapped data-parallel collective holds (one per NCCL channel): data_parallel's gradient buckets, pipeline's gradient reductions, ZeRO-3 prefetches and overlapped parameter gathers; compute beside it keeps 1 - comm_sms / SMs of its speed. Not given: NCCL's channels, 2 per NIC when the job spans nodes (NVIDIA/nccl#689: 16 on a DGX with 8 NICs), else 2 per NVLink (nccl#1225), at most 32; none on a device without an SM count. 0: no interference. A given value needs a GPU with kernel figures."),
        Field.Opt("backup_workers", Integer(min: 0), "Proceed when the fastest workers - k are done (Chen et al. 2016).", "0"),
        Field.Opt("local_steps", Integer(min: 1, max: 10_000), "local_sgd: steps between model averaging (H).", "4"),
        Field.Opt("optimizer_ms", Number(min: 0, max: 3_600_000), "Optimizer step time; default: the `optimizer` key's estimate from the compute model."),
        Field.Opt("optimizer", Enum("adam", "sgd_per_tensor"), "data_parallel: how the optimizer step is costed when optimizer_ms is not given. adam: memory-bound Adam, one pass over FP32 state. sgd_per_tensor: PyTorch's torch.optim.SGD with momentum as a per-tensor loop (before its foreach path: 3 kernels per parameter tensor, 4 with weight decay, which norm parameters skip), then zero_grad() zeroing each gradient (1 kernel per tensor, PyTorch's default before 2.0), the host issuing each kernel in 6.7 us (pytorch/pytorch#45299); the kernels' FP32 bytes at streaming bandwidth.", "adam"),
        Field.Opt("optimizer_after_sync", Boolean(), "data_parallel: the host waits for the GPU just before the optimizer step (PyTorch AMP: GradScaler.step reads its inf/NaN flag with .item()), so the GPU idles while the host issues the optimizer's kernels: the step takes the longer of the host loop and the kernels. false: the loop is issued while the GPU still runs backward, and only the kernels' time shows.", "false"),
        Field.Opt("parameter_passes", Enum("none", "pytorch", "pytorch_autocast"), "data_parallel: the per-parameter passes PyTorch's eager step makes besides the layers' kernels, one small kernel per parameter tensor each (PyTorchParameterPasses): pytorch: AccumulateGrad adding each gradient into .grad kept by zero_grad(set_to_none=False), and on more than one worker DDP's copies of each gradient into its bucket and back (gradient_as_bucket_view=False); pytorch_autocast: also autocast's casts of convolution and linear parameters to FP16 each forward and of their gradients back to FP32.", "none"),
        Field.Opt("sync_cycle_ms", Number(min: 0, max: 1000), "data_parallel: period of the background loop that issues the gradient all-reduces (Horovod's HOROVOD_CYCLE_TIME: 5 ms before v0.21.0, 1 ms since; horovod CHANGELOG, #2468): a bucket ready on every rank waits for the loop's next wake-up, half a period on average. 0: each bucket is issued as soon as it is ready (PyTorch DDP).", "0"),
        Field.Opt("optimizer_batch", Integer(min: 1), "data_parallel: samples per optimizer step (gradient accumulation, DeepLearningExamples' --optimizer-batch-size): a multiple of workers x micro_batch; the optimizer steps once every optimizer_batch / (workers x micro_batch) iterations. Default: every iteration."));

    public static MapSchema ParameterServer { get; } = Map(
        Field.Opt("consistency", Enum("bsp", "asp", "ssp"), "bsp: wait for all; asp: never wait; ssp: at most `staleness` steps ahead of the slowest.", "bsp"),
        Field.Opt("staleness", Integer(min: 0, max: 100_000_000), "SSP bound s.", "2"),
        Field.Opt("servers", Integer(min: 1, max: 65_536), "Parameter server shards.", "1"),
        Field.Opt("server_bandwidth_gbps", Positive(max: 1e6), "Each server's NIC, Gbit/s (default: the preset's NIC).", null),
        Field.Opt("aggregation_gbytes_per_s", Positive(max: 1e6), "Gradient bytes a server folds in per second, GB/s.", "20"));

    public static MapSchema Pipeline { get; } = Map(
        Field.Opt("schedule", Enum("gpipe", "1f1b", "interleaved"), "GPipe (all forwards, then all backwards), 1F1B (PipeDream-Flush) or interleaved 1F1B (Megatron-LM).", "1f1b"),
        Field.Req("stages", Integer(min: 1, max: MaxLayers), "Pipeline stages p (devices per pipeline)."),
        Field.Opt("microbatches", Integer(min: 1, max: 1_048_576), "Micro-batches m per iteration per pipeline replica; give it or global_batch."),
        Field.Opt("global_batch", Integer(min: 1, max: 1_073_741_824), "Megatron global_batch_size: samples per iteration = micro_batch x microbatches x data_parallel (context, tensor and pipeline ranks share samples); must be a multiple of micro_batch x data_parallel. Sets microbatches, or must agree with it."),
        Field.Opt("virtual_stages", Integer(min: 1, max: MaxLayers), "interleaved: model chunks v per device.", "2"),
        Field.Opt("tensor_parallel", Integer(min: 1, max: 1_024), "Tensor-parallel size t (Megatron; placed inside a node).", "1"),
        Field.Opt("data_parallel", Integer(min: 1, max: 16_777_216), "Pipeline replicas d; t x c x p x d GPUs in all.", "1"),
        Field.Opt("context_parallel", Integer(min: 1, max: 1_024), "Context-parallel size c (Megatron-Core context_parallel_size): ring attention over c GPUs, each holding s/c tokens of every micro-batch; gradients reduce over d x c.", "1"),
        Field.Opt("cp_comm_type", Enum("p2p", "all_gather", "torch_allgather"), "Megatron-Core cp_comm_type: p2p = ring attention (K/V blocks passed round the CP ring under the attention steps); all_gather = K/V all-gathered before attention, exposed (as Meta trained Llama 3, arXiv:2407.21783 section 3.3.2). Same bytes either way. torch_allgather = PyTorch's experimental context_parallel with rotate method allgather (torchtitan's default): K/V all-gathered under the first ring step, the ring's kernels, outputs merged and gradients accumulated in FP32, dK/dV passed round the ring in FP32.", "p2p"),
        Field.Opt("sequence_parallel", Boolean(), "Megatron sequence parallelism (Korthikanti et al. 2022).", "false"),
        Field.Opt("tp_comm_overlap", Boolean(), "Megatron-Core tp_comm_overlap (Transformer Engine userbuffers): sequence-parallel all-gathers and reduce-scatters pipelined with the GEMMs they feed, forward and backward; each GEMM cut into chunks timed on their own shapes, exposed per GEMM max(0, collective - overlappable chunks) with the SMs the communication holds. Needs sequence_parallel.", "false"),
        Field.Opt("async_tensor_parallel", Boolean(), "TorchTitan enable_async_tensor_parallel (symmetric memory, torch.compile): the same overlap with copy-engine chunks in t pieces, but in backward only the all-gathers are fused (the reduce-scatters stay exposed). Needs sequence_parallel; do not combine with tp_comm_overlap.", "false"),
        Field.Opt("expert_parallel", Integer(min: 1, max: 65_536), "Mixture of experts: expert-parallel size ep (divides data_parallel and the expert count); adds the dispatch/combine all-to-alls per MoE block.", "1"),
        Field.Opt("scatter_gather", Boolean(), "Send 1/t of each activation per tensor rank and all-gather on arrival.", "true"),
        Field.Opt("fp32_gradient_accumulation", Boolean(), "DeepSpeed BF16 optimizer (Megatron-DeepSpeed bf16 runs): after every micro-batch backward its bf16 gradients are cast and added into fp32 buffers, 18 bytes per parameter at the device's achieved memory bandwidth (deepspeed/runtime/pipe/engine.py update_hp_grads); pair with training.gradient_bytes: 4, as its all-reduce moves the fp32 buffers, whole even under zero_stage 1 (its own ZeRO-1: partitioned step, then bf16 parameters all-gathered); zero_stage 2 and 3 are refused.", "false"),
        Field.Opt("partition", Enum("balanced", "uniform"), "balanced: stages of equal compute time; uniform: equal layer counts (Megatron).", "balanced"),
        Field.Opt("layers_per_stage", List(Integer(min: 0, max: MaxLayers), minItems: 1), "Explicit layer counts per (virtual) stage, overriding partition."),
        Field.Opt("recompute", Enum("none", "selective", "full"), "Activation recomputation.", "none"),
        Field.Opt("zero_stage", Integer(min: 0, max: 3), "ZeRO stage over the data-parallel (x context-parallel) group (0: none).", "0"),
        Field.Opt("fsdp_version", Integer(min: 1, max: 2), "With zero_stage 3: PyTorch FSDP 1 (FullyShardedDataParallel, FlatParameter) or 2 (fully_shard), for the memory-bound copies each makes around a layer's collectives (FSDP1: per backward the flat gradient's cat, its cast to the reduce dtype and the pre-divide, 18 bytes per parameter with fp32 reduction, 8 with bf16; FSDP2: each gather's copy-out, 4 bytes, and the reduce-scatter's copy-in, 2 + gradient_bytes). Not given: none costed."),
        Field.Opt("use_distributed_optimizer", Boolean(), "Megatron distributed optimizer: Adam state sharded over data x context ranks, gradients reduce-scattered and updated parameters all-gathered (ZeRO-1).", "false"),
        Field.Opt("overlap_grad_reduce", Boolean(), "Start each model chunk's gradient reduction when its last backward ends, under the remaining backwards (false: all after the last backward).", "true"),
        Field.Opt("overlap_param_gather", Boolean(), "Distributed optimizer: all-gather the updated parameters under the next iteration's forwards, chunk by chunk.", "false"),
        Field.Opt("fp8_param_gather", Boolean(), "Megatron-Core fp8_param_gather (with compute.precision: fp8 and a sharded optimizer, ZeRO 1-3): the FP8 linears' weights are kept in FP8 and all-gathered at 1 byte per parameter instead of 2; other parameters stay BF16.", "false"),
        Field.Opt("rank_order", Enum("tensor_data_pipeline", "tensor_pipeline_data"), "How ranks map onto GPUs, innermost first.", "tensor_data_pipeline"),
        Field.Opt("all_replica_traffic", Boolean(), "Put every replica's point-to-point traffic on the network (slower to simulate).", "false"));

    public static MapSchema Transient { get; } = Map(
        Field.Req("start_s", Number(min: 0, max: MaxSeconds), "When the slowdown starts (simulated seconds)."),
        Field.Req("duration_s", Positive(max: MaxSeconds), "How long it lasts."),
        Field.Req("factor", Number(min: 1, max: MaxSlowdown), "Compute-time multiplier while it lasts."),
        Field.Opt("worker", Integer(min: -1), "Affected worker; -1: all.", "-1"));

    public static MapSchema Stragglers { get; } = Map(
        Field.Opt("jitter", Distribution(), "Per-worker, per-step compute-time multiplier, e.g. lognormal(0, 0.05)."),
        Field.Opt("slow_fraction", Fraction(), "Fraction of workers that are persistently slow.", "0"),
        Field.Opt("slow_factor", Number(min: 1, max: MaxSlowdown), "Compute-time multiplier of the slow workers.", "1"),
        Field.Opt("transients", List(Transient), "Windows of time in which workers run slower."));

    public static MapSchema Failures { get; } = Map(
        Field.Opt("gpu_mtbf_hours", Positive(max: 1e9), "Mean time between failures of one GPU."),
        Field.Opt("node_mtbf_hours", Positive(max: 1e9), "Mean time between failures of one server."),
        Field.Opt("detection_s", Number(min: 0, max: MaxSeconds), "Time to notice a failure.", "30"),
        Field.Opt("restart_s", Number(min: 0, max: MaxSeconds), "Time to restart the job and reload the checkpoint.", "300"),
        Field.Opt("checkpoint_s", Number(min: 0, max: MaxSeconds), "Time to write a checkpoint (blocking).", "60"),
        Field.Opt("checkpoint_gb_per_s", Positive(max: 1e6), "Aggregate write bandwidth of checkpoint storage (GB/s); instead of checkpoint_s, a checkpoint then takes 14 bytes per parameter (bf16 weights + fp32 Adam state) over it."),
        Field.Opt("checkpoint_interval_s", Number(min: MinStepSeconds, max: MaxSeconds), "Time between checkpoints; default: Young's interval sqrt(2 * checkpoint_s * MTBF)."));

    public static MapSchema Outputs { get; } = Map(
        Field.Opt("timeline", Boolean(), "Write timeline.json (Chrome trace; open in ui.perfetto.dev).", "true"),
        Field.Opt("timeline_max_spans", Integer(min: 0, max: 10_000_000), "Cap on timeline spans (bounded memory).", "200000"),
        Field.Opt("report", Boolean(), "Write report.html (self-contained, plotly charts).", "true"));

    public static MapSchema Root { get; } = Map([
        Field.Req("name", FolderName(), "Scenario name (results go to results/NAME unless --out is given)."),
        Field.Opt("description", String(), "Free text shown in reports."),
        Field.Opt("seed", Long(min: 0), "Run seed; replication r uses seed + r.", "1"),
        Field.Opt("replications", Integer(min: 1, max: 10_000), "Independent replications (confidence intervals need 2 or more).", "1"),
        Field.Req("cluster", Cluster, "The machines."),
        Field.Opt("network", Network, "Network backend and collective algorithm."),
        Field.Req("model", Model, "What is trained."),
        Field.Opt("compute", Compute, "How layer work becomes time on a device."),
        Field.Req("training", Training, "The training strategy."),
        .. TrainingModes.Registry.Entries.Select(m => m.Section).OfType<ModeSection>().Select(s => Field.Opt(s.Key, s.Schema, s.Description)),
        Field.Opt("stragglers", Stragglers, "Slow workers."),
        Field.Opt("failures", Failures, "Crashes, checkpoints and restarts."),
        Field.Opt("attack", Sim.Scenarios.Dependability.DependabilityScenarioSchema.Attack, "Byzantine workers and what they send (docs/dependability.md)."),
        Field.Opt("defence", Sim.Scenarios.Dependability.DependabilityScenarioSchema.Defence, "Robust aggregation; rules other than mean gather gradients to an aggregation server (docs/dependability.md)."),
        Field.Opt("coding", Sim.Scenarios.Dependability.DependabilityScenarioSchema.Coding, "Coded or replicated computation against stragglers: gradient coding or DRACO replication with a decoding master (docs/dependability.md)."),
        Field.Opt("time_to_target", TimeToTargetSection.Schema, "Statistical-efficiency model of a training target: reports steps and seconds to it."),
        Field.Opt("outputs", Outputs, "What to write besides summary.json and iterations.csv.")]);
}
