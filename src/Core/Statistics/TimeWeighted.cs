namespace Sim.Core.Statistics;

/// <summary>
/// The average of a level that changes over time, weighted by how long it held each value: the
/// fraction of the day a lane was busy, the average length of a queue. Call <see cref="Update"/>
/// whenever the level changes; the integral accrues the previous level over the elapsed time.
/// </summary>
public sealed class TimeWeighted
{
    private double _lastTime;
    private double _area;

    public TimeWeighted(double startTime = 0, double initialLevel = 0)
    {
        StartTime = _lastTime = startTime;
        Level = initialLevel;
        Max = initialLevel;
    }

    public double StartTime { get; }
    public double Level { get; private set; }
    public double Max { get; private set; }

    public void Update(double now, double level)
    {
        if (now < _lastTime) throw new ArgumentOutOfRangeException(nameof(now), now, $"time went backwards (last update at {_lastTime})");
        _area += Level * (now - _lastTime);
        _lastTime = now;
        Level = level;
        if (level > Max) Max = level;
    }

    /// <summary>Integral of the level from the start to <paramref name="now"/>.</summary>
    public double Integral(double now) => _area + Level * (now - _lastTime);

    /// <summary>Time-average of the level from the start to <paramref name="now"/>.</summary>
    public double Mean(double now) => now > StartTime ? Integral(now) / (now - StartTime) : Level;
}
