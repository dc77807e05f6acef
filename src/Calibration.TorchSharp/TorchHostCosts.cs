namespace Sim.Calibration.TorchSharp;

/// <summary>
/// What a TorchSharp training step costs on the host beyond its kernels, per counted call, like a courier's
/// fee per parcel on top of the distance driven: each operator call from .NET pays LibTorch's dispatch and
/// the interop (<see cref="DispatchSecondsPerOp"/>), each operation recorded for autograd pays for its graph
/// node and its backward call (<see cref="AutogradSecondsPerNode"/>), each parameter tensor pays for zeroing its
/// gradient, accumulating the new one and SGD's update call (<see cref="ParameterTensorSeconds"/>), each parameter
/// element for the update's reads and writes (<see cref="SgdSecondsPerElement"/>), and each step once for starting
/// the backward pass and calling the optimizer (<see cref="StepFixedSeconds"/>). Every figure is measured by
/// <see cref="TorchHostCostBenchmarks"/> on one-element tensors; none is fitted to a model's step.
/// </summary>
/// <param name="DispatchSecondsPerOp">One operator call on a one-element tensor without gradients, its result freed.</param>
/// <param name="AutogradSecondsPerNode">Extra time of the same call with gradients recorded, plus its node's backward.</param>
/// <param name="ParameterTensorSeconds">What one more one-element parameter adds to a whole training step beyond its
/// operator call and node: zero_grad, gradient accumulation and SGD's per-tensor work.</param>
/// <param name="SgdSecondsPerElement">SGD's cost per parameter element (the in-place update reads and writes it).</param>
/// <param name="StepFixedSeconds">A training step's own cost beyond its calls, nodes and parameters: starting the
/// backward pass, the zero_grad and optimizer calls.</param>
public sealed record TorchHostCosts(double DispatchSecondsPerOp, double AutogradSecondsPerNode, double ParameterTensorSeconds,
    double SgdSecondsPerElement, double StepFixedSeconds)
{
    /// <summary>Host seconds of one training step with the given counted calls.</summary>
    public double StepSeconds(TorchStepCounts counts) =>
        StepFixedSeconds
        + DispatchSecondsPerOp * counts.OperatorCalls
        + AutogradSecondsPerNode * counts.AutogradNodes
        + ParameterTensorSeconds * counts.ParameterTensors
        + SgdSecondsPerElement * counts.ParameterElements;

    /// <summary>"dispatch 0.82 us/call, autograd 2.48 us/node, 4.9 us/parameter tensor + 0.080 ns/element, 2.6 us/step".</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"dispatch {DispatchSecondsPerOp * 1e6:F2} us/call, autograd {AutogradSecondsPerNode * 1e6:F2} us/node, {ParameterTensorSeconds * 1e6:F2} us/parameter tensor + {SgdSecondsPerElement * 1e9:F3} ns/element, {StepFixedSeconds * 1e6:F2} us/step");
}
