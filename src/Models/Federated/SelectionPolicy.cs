namespace Sim.Models.Federated;

/// <summary>How the server picks participants among the clients that are online, like a coach picking
/// players: by lot, or the fastest runners with a few picked by lot to keep discovering talent.</summary>
public enum SelectionPolicy
{
    /// <summary>Uniformly at random among online, idle clients (FedAvg, Bonawitz et al. 2019).</summary>
    Random,
    /// <summary>Oort-like (Lai et al., OSDI 2021, system-utility part only): draw a pool of
    /// <see cref="FederatedConfig.SelectionPoolFactor"/> times the needed clients at random, then take
    /// the ones with the shortest expected round duration; a fraction
    /// <see cref="FederatedConfig.ExplorationFraction"/> is still picked at random.</summary>
    Fastest,
}
