using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// The memory-bound copies PyTorch FSDP makes around each unit's collectives, on the GPU beside the
/// layer's own kernels, per micro-batch and per unsharded parameter of the unit (bf16 parameters, 2 bytes):
/// <list type="bullet">
/// <item>FSDP1 (<c>FullyShardedDataParallel</c>, FlatParameter; torch/distributed/fsdp/_flat_param.py and
/// _runtime_utils.py, PyTorch 2.0-2.3): the all-gather writes straight into the flat parameter, whose
/// per-tensor views the layer uses, so forward pays nothing. In backward, autograd's gradient of those
/// views is the backward of <c>split</c>, a <c>cat</c> into one new flat gradient (read 2, write 2);
/// <c>_post_backward_hook</c> casts it to the reduce dtype when that differs (mixed precision
/// <c>reduce_dtype</c> fp32: read 2, write 4); <c>_reduce_grad</c> divides it in place by the pre-divide
/// factor before the reduce-scatter (<c>_div_if_needed</c>, a factor above 1 for any world size above 1:
/// read and write the reduce dtype). Composer's mixed precision DEFAULT (fp32 reduction) makes that
/// 4 + 6 + 8 = 18 bytes, PURE (bf16 reduction) 4 + 4 = 8.</item>
/// <item>FSDP2 (<c>fully_shard</c>, per-parameter DTensor sharding; torch/distributed/_composable/fsdp/
/// _fsdp_collectives.py): every all-gather's output is copied out into the unsharded parameters
/// (<c>foreach_all_gather_copy_out</c>, <c>split_with_sizes_copy</c>: read 2, write 2), forward and
/// backward; the reduce-scatter input is copied in, cast to the reduce dtype on the way
/// (<c>foreach_reduce_scatter_copy_in</c>: read 2, write the reduce dtype); fp32 and bf16 reductions
/// divide inside NCCL (ReduceOp AVG / PreMulSum, <c>_get_gradient_divide_factors</c>), with no division
/// kernel.</item>
/// </list>
/// They run on FSDP's side streams concurrently with the next layer's kernels and compete with them for
/// the same SMs and memory bandwidth, so they are costed as memory-bound kernels added to the layer's pass.
/// </summary>
public static class FsdpCopies
{
    private const double ParameterBytes = 2; // bf16 parameters (FSDP mixed precision param_dtype)

    /// <summary>Bytes moved per unsharded parameter of a unit in one forward (<paramref name="forward"/>) or
    /// backward pass of one micro-batch under FSDP <paramref name="version"/>, reducing gradients of
    /// <paramref name="reduceBytes"/> bytes per element (2: bf16, 4: fp32).</summary>
    public static double BytesPerParameter(int version, bool forward, double reduceBytes) => version switch
    {
        1 => forward ? 0 : 2 * ParameterBytes + (reduceBytes != ParameterBytes ? ParameterBytes + reduceBytes : 0) + 2 * reduceBytes,
        2 => forward ? 2 * ParameterBytes : 2 * ParameterBytes + ParameterBytes + reduceBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "FSDP version 1 or 2"),
    };

    /// <summary>Seconds one GPU spends on those copies for <paramref name="parameters"/> parameters, timed by
    /// the compute model as one memory-bound pass.</summary>
    public static double Seconds(IComputeModel compute, double parameters, double bytesPerParameter)
    {
        if (parameters <= 0 || bytesPerParameter <= 0) return 0;
        // at most one operation per element; the pass is bound by its bytes
        return MemoryPass.Seconds(compute, "fsdp copies", bytesPerParameter * parameters, flops: parameters);
    }
}
