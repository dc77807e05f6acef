using Sim.Models.Hardware;

namespace Sim.Models.Tests.Hardware;

public class HardwarePresetTests
{
    [Theory]
    [InlineData("dgx-a100", 8, 25e9, 300e9)]
    [InlineData("DGX-H100", 8, 50e9, 450e9)]
    [InlineData("dgx1-v100", 8, 12.5e9, 25e9)]
    [InlineData("p100-pcie-8x", 8, 3.125e9, 15.753846153846155e9)]
    public void Presets_carry_datasheet_link_figures(string name, int gpus, double nicBytesPerSecond, double intraBytesPerSecond)
    {
        var node = HardwarePresets.Node(name);
        Assert.Equal(gpus, node.DevicesPerNode);
        Assert.Equal(nicBytesPerSecond, node.NicBandwidth, 6);
        Assert.Equal(intraBytesPerSecond, node.IntraNodeBandwidth, 3);
        node.Validate("node");
    }

    [Fact]
    public void Peak_rates_follow_precision_ladder_and_missing_precisions_are_errors()
    {
        var h100 = HardwarePresets.H100Sxm;
        Assert.Equal(1979e12, h100.PeakFlopsFor(Precision.Fp8));
        Assert.True(h100.PeakFlopsFor(Precision.Fp8) > h100.PeakFlopsFor(Precision.Bf16));
        Assert.True(h100.PeakFlopsFor(Precision.Bf16) > h100.PeakFlopsFor(Precision.Tf32));
        Assert.True(h100.PeakFlopsFor(Precision.Tf32) > h100.PeakFlopsFor(Precision.Fp32));
        var e = Assert.Throws<SpecError>(() => HardwarePresets.P100Pcie16.PeakFlopsFor(Precision.Bf16));
        Assert.Contains("Bf16", e.Message);
        Assert.Contains("Fp32", e.Message); // lists what it does support
        Assert.False(HardwarePresets.CpuHost.Device.IsGpu);
        Assert.Equal(128 * 2.25e9 * 32, HardwarePresets.CpuHost.Device.PeakFlopsFor(Precision.Fp32));
    }

    [Fact]
    public void Unknown_preset_lists_the_valid_names()
    {
        var e = Assert.Throws<SpecError>(() => HardwarePresets.Node("dgx-b200"));
        Assert.Equal("cluster.preset", e.Path);
        foreach (var n in HardwarePresets.Names) Assert.Contains(n, e.Message);
        Assert.Contains("dgx-b200", e.Message);
    }

    [Fact]
    public void Negative_nic_bandwidth_names_the_field()
    {
        var spec = HardwarePresets.Cluster("dgx-a100", 4) with { Node = HardwarePresets.DgxA100 with { NicBandwidth = -5 } };
        var e = Assert.Throws<SpecError>(() => spec.Validate());
        Assert.Equal("cluster.node.nic.bandwidth: must be > 0, got -5", e.Message);
        Assert.Equal("cluster.node.nic.bandwidth", e.Path);
    }

    [Fact]
    public void Other_bad_fields_are_named()
    {
        var ok = HardwarePresets.Cluster("dgx-h100", 2);
        Assert.Equal("cluster.nodeCount", Assert.Throws<SpecError>(() => (ok with { NodeCount = 0 }).Validate()).Path);
        Assert.Equal("cluster.fabric.oversubscription",
            Assert.Throws<SpecError>(() => (ok with { Fabric = ok.Fabric with { Oversubscription = 0.5 } }).Validate()).Path);
        Assert.Equal("cluster.node.device.memoryBandwidth", Assert.Throws<SpecError>(() =>
            (ok with { Node = ok.Node with { Device = ok.Node.Device with { MemoryBandwidth = double.NaN } } }).Validate()).Path);
        Assert.Equal("cluster.node.intraNode.latency", Assert.Throws<SpecError>(() =>
            (ok with { Node = ok.Node with { IntraNodeLatency = -1e-6 } }).Validate()).Path);
    }
}
