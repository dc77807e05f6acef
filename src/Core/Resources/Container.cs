namespace Sim.Core;

/// <summary>
/// A tank holding a continuous amount (fuel, tokens, bytes of buffer): <see cref="Put"/> waits while
/// the amount would overflow the capacity, <see cref="Get"/> waits until enough is there. Requests are
/// served in arrival order, so a large get is not starved by small ones behind it.
/// </summary>
public sealed class Container : PutGetQueues<double, double>
{
    public Container(Simulation simulation, double capacity = double.PositiveInfinity, double initialLevel = 0) : base(simulation)
    {
        if (!(capacity > 0)) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "capacity must be > 0");
        if (!(initialLevel >= 0 && initialLevel <= capacity)) throw new ArgumentOutOfRangeException(nameof(initialLevel), initialLevel, "initial level must be in [0, capacity]");
        Capacity = capacity;
        Level = initialLevel;
    }

    public double Capacity { get; }
    public double Level { get; private set; }

    /// <summary>Adds <paramref name="amount"/>; the event fires (with the amount) once it fits.</summary>
    public Event Put(double amount)
    {
        if (!(amount > 0) || amount > Capacity) throw new ArgumentOutOfRangeException(nameof(amount), amount, $"must be in (0, capacity={Capacity}]");
        return EnqueuePut(amount);
    }

    /// <summary>Takes <paramref name="amount"/>; the event fires (with the amount) once that much is there.</summary>
    public Event Get(double amount)
    {
        if (!(amount > 0) || amount > Capacity) throw new ArgumentOutOfRangeException(nameof(amount), amount, $"must be in (0, capacity={Capacity}]");
        return EnqueueGet(amount);
    }

    protected override bool TryPut(double amount, out object? value)
    {
        value = amount;
        if (Level + amount > Capacity) return false;
        Level += amount;
        return true;
    }

    protected override bool TryGet(double amount, out object? value)
    {
        value = amount;
        if (amount > Level) return false;
        Level -= amount;
        return true;
    }
}
