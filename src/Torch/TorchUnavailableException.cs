namespace Sim.Torch;

/// <summary>LibTorch (through TorchSharp) cannot be loaded on this machine. The message says why and what to do;
/// callers that can do without torch (a test outside CI, a profiler that falls back) catch this one type.</summary>
public sealed class TorchUnavailableException : Exception
{
    public TorchUnavailableException(string message, Exception? inner = null) : base(message, inner) { }
}
