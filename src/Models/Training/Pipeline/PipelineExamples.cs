using Sim.Core.Timeline;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Small ready-made pipeline runs for documentation and notebooks, like the worked examples at the end
/// of a textbook chapter: each returns the simulator's own Chrome-trace JSON (open it in Perfetto).
/// </summary>
public static class PipelineExamples
{
    /// <summary>Runs <paramref name="config"/> with a timeline and returns the Chrome-trace JSON.</summary>
    public static string ChromeTrace(PipelineConfig config, IComputeModel compute, ClusterSpec? cluster = null,
        NetworkBackend backend = NetworkBackend.Flow)
    {
        var stream = new MemoryStream();
        using (var recorder = new TimelineRecorder(stream))
            PipelineTraining.Simulate(config, compute, cluster, seed: 0, backend, recorder);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>
    /// The textbook picture: 1F1B with 4 stages and 8 micro-batches of a 16-block GPT (hidden 2048,
    /// 16 heads, sequence 2048) cut into compute-balanced stages, on one DGX A100, stages on GPUs 0-3 joined by NVSwitch. Compute is an
    /// A100 roofline at 50% of peak FLOP/s and 80% of memory bandwidth: illustrative efficiencies, not a
    /// calibration. Tracks: "stage s / compute" (F, B, optimizer) and "stage s / p2p receive".
    /// <paramref name="dgxA100"/> is the DGX A100 machine (the shipped hardware file, HardwarePresets.DgxA100).
    /// </summary>
    public static string FourStage1F1B(NodeSpec dgxA100)
    {
        var (config, compute, cluster) = FourStage1F1BSetup(dgxA100);
        return ChromeTrace(config, compute, cluster);
    }

    /// <summary>The configuration behind <see cref="FourStage1F1B"/>, on one <paramref name="node"/>.</summary>
    public static (PipelineConfig Config, IComputeModel Compute, ClusterSpec Cluster) FourStage1F1BSetup(NodeSpec node)
    {
        var transformer = new TransformerConfig
        {
            Name = "gpt_16x2048", Layers = 16, Hidden = 2048, Heads = 16, Sequence = 2048, Vocabulary = 50257,
            Source = "illustrative GPT-style decoder",
        };
        var config = new PipelineConfig
        {
            Model = Transformer.Gpt(transformer), Transformer = transformer,
            Stages = 4, Microbatches = 8, Schedule = PipelineScheduleKind.OneFOneB, Partition = PartitionMethod.Balanced,
        };
        var gpu = node.Device;
        var compute = new RooflineCompute(gpu.PeakFlopsFor(Precision.Bf16), gpu.MemoryBandwidth, 0.5, 0.8, device: gpu.Name);
        return (config, compute, ClusterSpec.Of(node, 1));
    }
}
