namespace Sim.Core;

/// <summary>
/// A tank holding a continuous amount (fuel, tokens, bytes of buffer): <see cref="Put"/> waits while
/// the amount would overflow the capacity, <see cref="Get"/> waits until enough is there. Requests are
/// served in arrival order, so a large get is not starved by small ones behind it.
/// </summary>
public sealed class Container
{
    private readonly Queue<(Event Done, double Amount)> _puts = new();
    private readonly Queue<(Event Done, double Amount)> _gets = new();

    public Container(Simulation simulation, double capacity = double.PositiveInfinity, double initialLevel = 0)
    {
        if (!(capacity > 0)) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be > 0");
        if (!(initialLevel >= 0 && initialLevel <= capacity)) throw new ArgumentOutOfRangeException(nameof(initialLevel), initialLevel, "initial level must be in [0, capacity]");
        Sim = simulation;
        Capacity = capacity;
        Level = initialLevel;
    }

    public Simulation Sim { get; }
    public double Capacity { get; }
    public double Level { get; private set; }

    public Event Put(double amount)
    {
        if (!(amount > 0) || amount > Capacity) throw new ArgumentOutOfRangeException(nameof(amount), amount, $"must be in (0, capacity={Capacity}]");
        var done = Sim.Event();
        _puts.Enqueue((done, amount));
        Balance();
        return done;
    }

    public Event Get(double amount)
    {
        if (!(amount > 0) || amount > Capacity) throw new ArgumentOutOfRangeException(nameof(amount), amount, $"must be in (0, capacity={Capacity}]");
        var done = Sim.Event();
        _gets.Enqueue((done, amount));
        Balance();
        return done;
    }

    private void Balance()
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            if (_puts.Count > 0 && Level + _puts.Peek().Amount <= Capacity)
            {
                var (done, amount) = _puts.Dequeue();
                Level += amount;
                done.Succeed(amount);
                changed = true;
            }
            if (_gets.Count > 0 && _gets.Peek().Amount <= Level)
            {
                var (done, amount) = _gets.Dequeue();
                Level -= amount;
                done.Succeed(amount);
                changed = true;
            }
        }
    }
}
