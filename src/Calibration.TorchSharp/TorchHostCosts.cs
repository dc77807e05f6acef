namespace Sim.Calibration.TorchSharp;

/// <summary>
/// What a TorchSharp training step costs on the host beyond its kernels, per counted call, like a courier's
/// fee per parcel on top of the distance driven: each operator call from .NET pays LibTorch's dispatch and
/// the interop (<see cref="DispatchSecondsPerOp"/>), each operation recorded for autograd pays for its graph
/// node and its backward call (<see cref="AutogradSecondsPerNode"/>), and the SGD step pays per parameter
/// tensor and per parameter element (<see cref="SgdSecondsPerTensor"/>, <see cref="SgdSecondsPerElement"/>).
/// Every figure is measured by <see cref="TorchHostCostBenchmarks"/> on tiny tensors, none is fitted to a step.
/// </summary>
/// <param name="DispatchSecondsPerOp">One operator call on a one-element tensor without gradients, its result freed.</param>
/// <param name="AutogradSecondsPerNode">Extra time of the same call with gradients recorded, plus its node's backward.</param>
/// <param name="SgdSecondsPerTensor">SGD's fixed cost per parameter tensor (TorchSharp's step loops over tensors in C#).</param>
/// <param name="SgdSecondsPerElement">SGD's cost per parameter element (the in-place update reads and writes it).</param>
public sealed record TorchHostCosts(double DispatchSecondsPerOp, double AutogradSecondsPerNode, double SgdSecondsPerTensor, double SgdSecondsPerElement)
{
    /// <summary>Host seconds of one training step with the given counted calls.</summary>
    public double StepSeconds(TorchStepCounts counts) =>
        DispatchSecondsPerOp * counts.OperatorCalls
        + AutogradSecondsPerNode * counts.AutogradNodes
        + SgdSecondsPerTensor * counts.ParameterTensors
        + SgdSecondsPerElement * counts.ParameterElements;
}

/// <summary>The calls of one training step of a model that <see cref="TorchHostCosts"/> charges, counted while a
/// real step runs (<see cref="TorchStepCounter"/>); the same at every batch size.</summary>
/// <param name="Model">The model's name (mlp, cnn, transformer).</param>
/// <param name="OperatorCalls">Tensors the forward pass and the loss create through .NET (one per operator call).</param>
/// <param name="AutogradNodes">Of those, the ones that record a gradient (each is a node autograd runs backward).</param>
/// <param name="ParameterTensors">Parameter tensors SGD updates.</param>
/// <param name="ParameterElements">Their elements in all.</param>
public sealed record TorchStepCounts(string Model, int OperatorCalls, int AutogradNodes, int ParameterTensors, long ParameterElements);
