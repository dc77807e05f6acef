namespace Sim.Calibration.TorchSharp;

/// <summary>The calls of one training step of a model that <see cref="TorchHostCosts"/> charges, counted while a
/// real step runs (<see cref="TorchStepCounter"/>); the same at every batch size.</summary>
/// <param name="Model">The model's name (mlp, cnn, transformer).</param>
/// <param name="OperatorCalls">Tensors the forward pass and the loss create through .NET (one per operator call).</param>
/// <param name="AutogradNodes">Of those, the ones that record a gradient (each is a node autograd runs backward).</param>
/// <param name="ParameterTensors">Parameter tensors (each has its gradient zeroed, accumulated and applied).</param>
/// <param name="ParameterElements">Their elements in all.</param>
public sealed record TorchStepCounts(string Model, int OperatorCalls, int AutogradNodes, int ParameterTensors, long ParameterElements);
