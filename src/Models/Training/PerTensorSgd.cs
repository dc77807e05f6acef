using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Training;

/// <summary>
/// PyTorch's <c>torch.optim.SGD</c> with momentum as it ran before its multi-tensor (foreach) path became the
/// default: a Python loop over the parameter tensors issuing one small element-wise kernel per operation,
/// like a clerk stamping forms one at a time: the stamping is quick, the walk between forms is what costs.
/// Per tensor: the weight decay <c>d_p = d_p.add(p, alpha=wd)</c> (tensors outside norm layers: the recipes
/// that keep batch norm out of weight decay), the momentum <c>buf.mul_(m).add_(d_p)</c> and the update
/// <c>p.add_(buf, alpha=-lr)</c>, all in FP32 (mixed precision keeps FP32 parameters); then <c>zero_grad()</c>, which
/// before PyTorch 2.0 zeroes each gradient in place (<c>set_to_none=False</c> by default, no foreach unless asked): one
/// kernel more per tensor.
/// <para>
/// Host time: each operation costs the host <see cref="HostSecondsPerOperation"/>, measured in
/// pytorch/pytorch#45299 (the PR that added the multi-tensor optimizers): <c>optim.SGD</c> with momentum on
/// torchvision's ResNet-101 took 6.28 ms per <c>step()</c> (timeit, "SGD: timeit: 6.28 ms"), 314 parameter
/// tensors of three operations each (momentum, no weight decay: the same benchmark script, posted again in
/// pytorch/pytorch#46216, builds <c>optim.SGD(model.parameters(), lr=1e-3, momentum=0.1)</c>; that #45299 ran it with
/// that optimizer is our reading, as its post shows the script only up to the model).
/// That is the whole loop's time per operation, host and device overlapped; the device's part is 1.4 GB of FP32 traffic
/// (32 bytes per parameter, 44.5 M parameters), and the same PR's multi-tensor version took 4.40 ms, so the host's own
/// share may be smaller: 6.7 us is taken as the host's cost, an upper bound on it. It is of the order pytorch/pytorch#41383
/// measures for one Python-issued operation on CPU tensors (5-7 us), before any CUDA launch is added.
/// </para>
/// <para>
/// Device time: the bytes every operation moves (weight decay 12, momentum 8 + 12, update 12, zeroing 4 bytes per
/// parameter) at the device's streaming bandwidth plus one kernel overhead per operation. The zeroing is taken at the
/// same host cost per kernel as the update's operations.
/// </para>
/// <para>
/// Exposure: when the host waits for the GPU just before the step (PyTorch AMP: <c>GradScaler.step</c> reads
/// its inf/NaN flag with <c>.item()</c>), the GPU has nothing queued while the loop runs, so the step takes the
/// longer of the host loop and the kernels. Without that wait the host issues the loop while the GPU is still
/// working through the backward it was handed, and only the kernels' own time shows.
/// </para>
/// </summary>
public static class PerTensorSgd
{
    /// <summary>Host seconds per optimizer operation: 6.28 ms / (314 tensors x 3 operations), pytorch/pytorch#45299.</summary>
    public const double HostSecondsPerOperation = 6.28e-3 / (314 * 3);

    /// <summary>FP32 bytes per parameter: momentum (mul_: read, write; add_: read two, write), update (read two, write)
    /// and zeroing the gradient (write).</summary>
    public const double BytesPerParameter = 8 + 12 + 12 + 4;

    /// <summary>FP32 bytes per parameter the weight decay adds (read gradient and parameter, write).</summary>
    public const double WeightDecayBytesPerParameter = 12;

    /// <summary>Kernels the loop launches for <paramref name="model"/>: 4 per parameter tensor (momentum 2, update, zeroing),
    /// plus 1 (weight decay) per tensor outside norm layers.</summary>
    public static int Operations(ModelSpec model)
    {
        int ops = 0;
        foreach (var layer in model.Layers)
        {
            ops += layer.ParameterTensorCount * (IsDecayed(layer) ? 5 : 4);
        }
        return ops;
    }

    /// <summary>Host seconds of one step's loop.</summary>
    public static double HostSeconds(ModelSpec model) => Operations(model) * HostSecondsPerOperation;

    /// <summary>FP32 bytes one step moves through device memory.</summary>
    public static double Bytes(ModelSpec model)
    {
        double bytes = 0;
        foreach (var layer in model.Layers)
            bytes += layer.Parameters * (BytesPerParameter + (IsDecayed(layer) ? WeightDecayBytesPerParameter : 0));
        return bytes;
    }

    /// <summary>
    /// Device seconds of one step: its bytes as one memory-bound pass of <paramref name="compute"/> plus one
    /// kernel overhead (the compute model's cost of an empty kernel) for every further operation.
    /// </summary>
    public static double DeviceSeconds(IComputeModel compute, ModelSpec model)
    {
        return MemoryPass.Seconds(compute, "sgd", Bytes(model), kernels: Operations(model));
    }

    /// <summary>Seconds one step adds to the iteration: max(host loop, kernels) after a host sync, else the kernels.</summary>
    public static double Seconds(IComputeModel compute, ModelSpec model, bool afterHostSync)
    {
        double device = DeviceSeconds(compute, model);
        return afterHostSync ? Math.Max(HostSeconds(model), device) : device;
    }

    /// <summary>Parameter tensors of a layer: as the builder counted them, else one per layer with parameters.</summary>

    private static bool IsDecayed(Layer layer) => !string.Equals(layer.Kind, "norm", StringComparison.Ordinal);
}
