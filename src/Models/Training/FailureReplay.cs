using Sim.Core.Randomness;
using Sim.Models.Faults;

namespace Sim.Models.Training;

/// <summary>
/// Failures, checkpoints and restarts laid over the iterations of a synchronous job whose failure-free
/// iteration times are already known (the pipeline/3D engine's). Any of the job's GPUs or nodes failing
/// stops the whole job: the work since the last completed checkpoint is lost, detection and restart are
/// paid (restarted again by a failure during them), and the job resumes at the checkpointed iteration,
/// which takes the same time it took the first time (the failure-free run is deterministic). The rules
/// are those of <see cref="SyncDataParallel"/>'s driver: a blocking checkpoint once
/// <see cref="FailureModel.CheckpointIntervalSeconds"/> has passed since the last one ended, none after
/// the last iteration, and the books kept by the same <see cref="IterationLedger"/>. Without checkpoints
/// (an infinite interval) a failure restarts the job from its first iteration.
/// Failure gaps are exponential with the job's rate gpus/MTBF_gpu + nodes/MTBF_node, drawn from one
/// random stream, so a seed fixes the result bit for bit.
/// </summary>
public sealed class FailureReplay
{
    /// <summary>Committed iteration durations, in completion order.</summary>
    public IReadOnlyList<double> IterationTimes { get; }
    /// <summary>Committed busy fraction of each iteration.</summary>
    public IReadOnlyList<double> BusyFractions { get; }
    /// <summary>Wall-clock seconds from start to the end of the last iteration.</summary>
    public double JobTime { get; }
    /// <summary>Committed compute, exposed communication and bubble seconds, checkpoint seconds and the
    /// seconds failures cost (lost work plus detection and restart).</summary>
    public Breakdown Breakdown { get; }
    /// <summary>Failures, those during a recovery included.</summary>
    public int Failures { get; }
    /// <summary>Checkpoints completed.</summary>
    public int Checkpoints { get; }

    /// <summary>Replays <paramref name="iterationTimes"/> (one per iteration of the job, failure-free)
    /// through <paramref name="failures"/>. <paramref name="computeShare"/> and <paramref name="bubbleShare"/>
    /// are the fractions of iteration time spent computing and idle in the bubble; the rest is exposed
    /// communication. Throws <see cref="ArgumentException"/> for an empty run or a job of no GPUs.</summary>
    public FailureReplay(IReadOnlyList<double> iterationTimes, double computeShare, double bubbleShare, FailureModel failures,
        int gpus, int gpusPerNode, RandomStream rng)
    {
        if (iterationTimes.Count == 0) throw new ArgumentException("no iterations to replay", nameof(iterationTimes));
        if (gpus < 1 || gpusPerNode < 1) throw new ArgumentException($"gpus ({gpus}) and gpus per node ({gpusPerNode}) must be >= 1");
        int nodes = (gpus + gpusPerNode - 1) / gpusPerNode;
        double rate = failures.FailuresPossible ? 1 / failures.SystemMtbf(gpus, nodes) : 0;
        bool checkpointing = double.IsFinite(failures.CheckpointIntervalSeconds);
        double Gap() => rate > 0 ? rng.NextExponential(rate) : double.PositiveInfinity;

        var ledger = new IterationLedger();
        double now = 0, lastCheckpointEnd = 0, nextFailure = Gap();
        double checkpointTime = 0, failureLoss = 0, bubble = 0, pendingBubble = 0;
        int done = 0, committed = 0, failed = 0, checkpoints = 0;
        int n = iterationTimes.Count;
        while (done < n)
        {
            double took = iterationTimes[done];
            bool interrupted = now + took > nextFailure;
            if (!interrupted)
            {
                now += took;
                ledger.Record(1, took, computeShare * took, 0, (1 - computeShare - bubbleShare) * took);
                pendingBubble += bubbleShare * took;
                done++;
                // Without checkpoints nothing is safe until the job ends: a failure restarts it from the start.
                if (checkpointing && done < n && now - lastCheckpointEnd >= failures.CheckpointIntervalSeconds)
                {
                    interrupted = now + failures.CheckpointSeconds > nextFailure;
                    if (!interrupted)
                    {
                        now += failures.CheckpointSeconds;
                        checkpoints++;
                        checkpointTime += failures.CheckpointSeconds;
                        committed = done;
                        lastCheckpointEnd = now;
                        ledger.Commit();
                        bubble += pendingBubble; pendingBubble = 0;
                    }
                }
            }
            if (!interrupted) continue;

            // A failure: everything since the last checkpoint is lost, then detection and restart.
            now = nextFailure;
            nextFailure = now + Gap();
            failed++;
            failureLoss += now - lastCheckpointEnd;
            ledger.Discard();
            pendingBubble = 0;
            double recovery = failures.DetectionSeconds + failures.RestartSeconds;
            while (now + recovery > nextFailure)
            {
                failureLoss += nextFailure - now;
                now = nextFailure;
                nextFailure = now + Gap();
                failed++;
            }
            now += recovery;
            failureLoss += recovery;
            done = committed;
            lastCheckpointEnd = now;
        }
        ledger.Commit();
        bubble += pendingBubble;
        IterationTimes = ledger.IterationTimes.ToArray();
        BusyFractions = ledger.BusyFractions.ToArray();
        JobTime = now;
        Breakdown = new Breakdown(ledger.Compute, ledger.Exposed, 0, bubble, checkpointTime, failureLoss);
        Failures = failed;
        Checkpoints = checkpoints;
    }
}
