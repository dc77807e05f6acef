using Sim.Core.Timeline;

namespace Sim.Models.Training;

/// <summary>
/// What a training strategy draws on the run's timeline (Perfetto/Chrome trace): the compute of the
/// worker that sets the pace, each gradient bucket's all-reduce, optimizer steps, checkpoints and
/// failures, on separate lanes so overlap and exposed communication are visible at a glance.
/// A no-op when the simulation records no timeline.
/// </summary>
internal sealed class TrainingTimeline
{
    private readonly TimelineRecorder? _recorder;
    private readonly int _compute, _comm, _optimizer, _resilience;

    public TrainingTimeline(TimelineRecorder? recorder, string group)
    {
        _recorder = recorder;
        if (recorder is null) return;
        _compute = recorder.Track(group, "compute (pace-setting worker)");
        _comm = recorder.Track(group, "gradient all-reduce");
        _optimizer = recorder.Track(group, "optimizer");
        _resilience = recorder.Track(group, "checkpoints and failures");
    }

    public bool Enabled => _recorder is not null;

    public void Compute(string name, double start, double end, int iteration) =>
        _recorder?.Span(_compute, name, start, end, "compute", [new("iteration", iteration)]);

    public void AllReduce(int bucket, double bytes, double start, double end, int iteration) =>
        _recorder?.Span(_comm, $"bucket {bucket}", start, end, "communication", [new("iteration", iteration), new("MB", bytes / 1e6)]);

    public void Optimizer(double start, double end) => _recorder?.Span(_optimizer, "optimizer step", start, end, "compute");

    public void Checkpoint(double start, double end) => _recorder?.Span(_resilience, "checkpoint", start, end, "resilience");

    public void Failure(double lostFrom, double failedAt, double recovered) =>
        _recorder?.Span(_resilience, "lost work + restart", lostFrom, recovered, "resilience", [new("failed_at_s", failedAt)]);
}
