namespace Sim.Models.Workloads;

/// <summary>
/// The shape of one image tensor flowing through a convolutional network, per sample: channels,
/// height and width, plus an identity. Like a numbered parcel on a conveyor belt: two layers that
/// receive the same parcel (an Inception block's four branches, a ResNet block's shortcut) see the
/// same number, so the memory it occupies is counted once, not once per reader.
/// </summary>
public readonly record struct FeatureMap(int Channels, int Height, int Width, int Id)
{
    /// <summary>Elements per sample.</summary>
    public double Elements => (double)Channels * Height * Width;
}
