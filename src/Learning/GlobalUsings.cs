// The TorchSharp models of this project all speak torch's vocabulary (tensors, the functional API) over
// the loop's data sets and contracts; declared once here rather than at the top of every model file.
global using Sim.Core.Randomness;
global using Sim.Models.Learning.Data;
global using Sim.Models.Learning.Loop;
global using TorchSharp;
global using static TorchSharp.torch;
global using F = TorchSharp.torch.nn.functional;
