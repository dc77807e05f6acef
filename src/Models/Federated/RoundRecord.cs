namespace Sim.Models.Federated;

/// <summary>One synchronous round as the server's log would show it, like a line in a ship's log:
/// when it started and ended, how many were invited, and how each invitation ended.</summary>
/// <param name="Selected">Clients invited (ceil(K(1+o)), or fewer if not enough were online).</param>
/// <param name="Aggregated">Updates folded into the model (at most K).</param>
/// <param name="Dropped">Participants that went offline mid-round.</param>
/// <param name="Cancelled">Participants still working when the round closed.</param>
public sealed record RoundRecord(int Round, double Start, double End, int Selected, int Aggregated,
    int Dropped, int Cancelled, bool Succeeded)
{
    public double Duration => End - Start;
}
