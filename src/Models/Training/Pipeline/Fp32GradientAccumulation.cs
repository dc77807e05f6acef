using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// DeepSpeed's BF16 optimizer (deepspeed/runtime/bf16_optimizer.py, written for BLOOM-176B in February
/// 2022) keeps an fp32 gradient buffer beside the bf16 parameters. After every micro-batch's backward the
/// pipeline engine calls <c>update_hp_grads</c> (deepspeed/runtime/pipe/engine.py, <c>_exec_backward_pass</c>;
/// the last stage through <c>optimizer.backward</c>), which for every parameter tensor runs
/// <c>hp_grad.add_(lp.grad.to(float32))</c>: a cast kernel (read the bf16 gradient, 2 bytes, write an fp32
/// temporary, 4) and an add kernel (read the temporary and the fp32 buffer, write the buffer: 12). That
/// is 18 bytes per parameter of pure memory traffic per micro-batch, outside the backward's GEMMs, which
/// Megatron-LM's fused gradient accumulation (wgrad GEMMs writing into fp32 main_grad) does not pay.
/// The data-parallel all-reduce then moves the fp32 buffers (<c>_bf16_reduce_grads</c> reduces
/// <c>get_grads_for_reduction()</c>, the fp32 flat buffers): give the run <c>training.gradient_bytes: 4</c>.
/// </summary>
public static class Fp32GradientAccumulation
{
    /// <summary>The fp32 gradient buffer, per parameter of the GPU's shard, on top of the bf16 gradients and
    /// not sharded over the data-parallel group (BigScience, train/tr11-176B-ml/chronicles-prequel.md,
    /// "Rebalancing layers": "The additional memory usage is 4bytes x params and it's not sharded across gpus").</summary>
    public const double BufferBytesPerParameter = 4;

    /// <summary>Bytes moved per parameter by one accumulation: cast (2 read + 4 written) and add (4 + 4 read, 4 written).</summary>
    public const double BytesPerParameter = 2 + 4 + 4 + 4 + 4;

    /// <summary>Seconds one GPU spends adding one micro-batch's bf16 gradients of <paramref name="parameters"/>
    /// parameters (its own shard) into the fp32 buffer, timed by the compute model as a memory-bound kernel.</summary>
    public static double Seconds(IComputeModel compute, double parameters)
    {
        if (parameters <= 0) return 0;
        // one add per parameter; the pass is bound by its bytes
        return MemoryPass.Seconds(compute, "fp32 gradient accumulation", BytesPerParameter * parameters, flops: parameters);
    }
}
