using Sim.Core;
using Sim.Models.Training;
using Sim.Scenarios.Schema;
using Sim.Scenarios.Yaml;
using static Sim.Scenarios.Schema.Schemas;

namespace Sim.Scenarios.Training.Modes;

/// <summary>
/// <c>cpu_host_data_parallel</c>: DDP over gloo with every worker a one-thread process on one CPU host
/// (<see cref="CpuHostTrainingJob"/>): computation and each rank's all-reduce work share the host's cores,
/// with other scheduling groups' load taken from <c>cpu_host.background_cores</c>. The model `sim validate
/// ddp` checks against real runs, here for any model and compute the scenario names. The per-bucket CPU
/// cost comes from the calibration profile's gloo link (<c>compute.profile</c>, measured by `sim calibrate
/// profile --backend pytorch`; the same choice as `sim validate ddp`, <see cref="Sim.Calibration.Fitting.LinkFit.HostCpuPerDdpBucket"/>:
/// real DDP steps of synthetic models where the profile has them), or from both <c>cpu_host.allreduce_cpu_*</c> keys.
/// </summary>
[TrainingMode(50)]
public sealed class CpuHostDataParallelMode : ITrainingMode
{
    public static MapSchema Schema { get; } = Map(
        Field.Req("cores", Integer(min: 1), "Cores of the host the worker processes share."),
        Field.Opt("background_cores", List(Number(min: 0)), "Cores each other scheduling group on the host uses, one entry per group (what `sim validate ddp` measures during its runs).", "[]"),
        Field.Opt("allreduce_cpu_alpha_us", Number(min: 0), "CPU one rank spends per all-reduce call, microseconds (default: the compute profile's gloo fit).", null),
        Field.Opt("allreduce_cpu_ns_per_byte", Number(min: 0), "CPU one rank spends per byte of an all-reduce, nanoseconds (default: the compute profile's gloo fit).", null));

    public string Name => "cpu_host_data_parallel";
    public string Description => "data parallel with one-thread worker processes sharing one CPU host's cores with gloo's all-reduce work";
    public ModeSection? Section => new("cpu_host", Schema, "Shared CPU host settings (training.mode: cpu_host_data_parallel).");
    public bool SimulatesFailures => false;
    public bool SimulatesStragglers => false;
    public bool NeedsTransfers => false;

    public TrainingScenario Configure(TrainingScenario draft, ScenarioSection root, List<ScenarioError> errors)
    {
        if (!root.Has("cpu_host"))
        {
            errors.Add(root.GetSection("training").ErrorAt("mode", "cpu_host_data_parallel needs a cpu_host section (at least cpu_host.cores)"));
            return draft;
        }
        var host = root.GetSection("cpu_host");
        var background = host.Has("background_cores") ? host.GetList<double>("background_cores") : [];
        bool hasAlpha = host.Has("allreduce_cpu_alpha_us"), hasBeta = host.Has("allreduce_cpu_ns_per_byte");
        double alpha = 0, beta = 0;
        var gloo = (draft.Compute as Sim.Calibration.Fitting.CalibratedCompute)?.Profile.Links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "all_reduce");
        if (hasAlpha != hasBeta)
            errors.Add(host.ErrorAt(hasAlpha ? "allreduce_cpu_alpha_us" : "allreduce_cpu_ns_per_byte", "give both allreduce_cpu_alpha_us and allreduce_cpu_ns_per_byte, or neither (then compute.profile's gloo fit is used)"));
        else if (hasAlpha)
        {
            alpha = host.GetDouble("allreduce_cpu_alpha_us") * 1e-6;
            beta = host.GetDouble("allreduce_cpu_ns_per_byte") * 1e-9;
        }
        else if (draft.Workers > 1)
        {
            var cpu = gloo?.HostCpuPerDdpBucket;
            if (cpu is null)
                errors.Add(host.ErrorAt("cores", "no all-reduce CPU cost: give compute.profile with a gloo link measured with its CPU time (`sim calibrate profile --backend pytorch`), or cpu_host.allreduce_cpu_alpha_us and allreduce_cpu_ns_per_byte"));
            else
            {
                alpha = cpu.Line.AlphaSeconds;
                beta = cpu.Line.BetaSecondsPerByte;
            }
        }
        // Profile v5's measured terms (the least wall time of a DDP bucket, the co-run compute factor, DDP's cost to a single
        // process), as `sim validate ddp` charges them; none without them.
        var wall = gloo?.DdpStepWall?.Line;
        var alone = gloo?.HostCpuOfDdpStepAlone?.Line;
        // DDP broadcasts the model's buffers (BatchNorm statistics) before every forward, priced by the profile's gloo
        // links as `sim validate ddp` does; none without a profile.
        var links = (draft.Compute as Sim.Calibration.Fitting.CalibratedCompute)?.Profile.Links;
        var broadcast = links is null ? null
            : Sim.Calibration.Fitting.BufferBroadcastCost.FromGloo(links, draft.Workers, draft.DataParallel.Model.Layers.Sum(l => l.BufferBytes),
                draft.DataParallel.Model.Layers.Sum(l => l.BufferTensors));
        return draft with
        {
            CpuHost = new CpuHostSettings(host.GetInt("cores"), background, alpha, beta,
                wall?.AlphaSeconds ?? 0, wall?.BetaSecondsPerByte ?? 0, gloo?.CoRunComputeFactor ?? 1,
                alone?.AlphaSeconds ?? 0, alone?.BetaSecondsPerByte ?? 0, broadcast?.CpuSeconds ?? 0, broadcast?.WallSeconds ?? 0,
                gloo?.ConvCoRunComputeFactor,
                // profile v6's terms per parameter and buffer tensor, as `sim validate ddp` charges them; none without a profile
                Sim.Calibration.Fitting.GlooDdpTensorCosts.From(gloo, draft.DataParallel.Model.Layers.Sum(l => l.BufferTensors))),
        };
    }

    public ModeRun Build(TrainingScenario s, Simulation simulation) =>
        new(new CpuHostTrainingJob(simulation, s.DataParallel, s.Compute, s.CpuHost!), null);

    /// <summary>One worker process on the same host (the background load stays), at most 50 iterations.</summary>
    public TrainingResult? SingleGpuBaseline(TrainingScenario s)
    {
        var sim = new Simulation(s.Seed);
        var one = s.DataParallel with { Workers = 1, BackupWorkers = 0, Failures = null, Iterations = Math.Min(s.DataParallel.Iterations, 50) };
        return TrainingJob.RunToEnd(sim, new CpuHostTrainingJob(sim, one, s.Compute, s.CpuHost!));
    }
}
