using System.Reflection;
using Sim.Models.Hardware;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Hardware;

/// <summary>
/// The shipped machines by name: every file in the repository's hardware/ folder, read with
/// <see cref="HardwareFile"/> on first use. The files are the source of truth (each names its
/// datasheets and measurements); they travel inside this assembly as embedded resources so the CLI
/// and notebooks find them from any folder. A new machine needs no recompiling: a scenario names any
/// hardware file with <c>cluster.hardware</c>; a file added to hardware/ becomes a preset at the next
/// build. A shipped file that fails to load is a bug (an <see cref="InvalidOperationException"/>),
/// not a user error.
/// </summary>
public static class HardwarePresets
{
    /// <summary>Resource names are "Sim.Hardware.NAME.yaml" (see Sim.Scenarios.csproj).</summary>
    private const string ResourcePrefix = "Sim.Hardware.", ResourceSuffix = ".yaml";

    private static readonly Lazy<IReadOnlyList<NodeSpec>> Shipped = new(LoadShipped);

    /// <summary>Preset names (each the name of its file in hardware/), in file-name order.</summary>
    public static IReadOnlyList<string> Names => Shipped.Value.Select(n => n.Name).ToArray();

    /// <summary>Every shipped machine, in file-name order.</summary>
    public static IReadOnlyList<NodeSpec> All => Shipped.Value;

    /// <summary>The node preset called <paramref name="name"/> (case-insensitive); a <see cref="SpecError"/>
    /// at <paramref name="path"/> lists the valid names.</summary>
    public static NodeSpec Node(string name, string path = "cluster.preset")
    {
        foreach (var n in Shipped.Value)
            if (string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)) return n;
        throw new SpecError(path, $"unknown preset '{name}'; valid presets: {string.Join(", ", Names)}");
    }

    /// <summary>A cluster of <paramref name="nodes"/> preset servers with that machine's usual fabric
    /// (<see cref="ClusterSpec.Of"/>).</summary>
    public static ClusterSpec Cluster(string name, int nodes, FabricSpec? fabric = null) => ClusterSpec.Of(Node(name), nodes, fabric);

    /// <summary>A cluster of <paramref name="nodes"/> copies of <paramref name="node"/> (<see cref="ClusterSpec.Of"/>).</summary>
    public static ClusterSpec ClusterOf(NodeSpec node, int nodes, FabricSpec? fabric = null) => ClusterSpec.Of(node, nodes, fabric);

    // Named shortcuts for code and notebooks: each is the named file's node or device.
    /// <summary>hardware/dgx-a100.yaml: 8x A100 SXM4 80GB, NVSwitch, 8x HDR 200 Gb/s.</summary>
    public static NodeSpec DgxA100 => Node("dgx-a100");
    /// <summary>hardware/dgx-a100-40gb.yaml: 8x A100 SXM4 40GB, NVSwitch, 8x HDR 200 Gb/s.</summary>
    public static NodeSpec DgxA100_40GB => Node("dgx-a100-40gb");
    /// <summary>hardware/dgx-h100.yaml: 8x H100 SXM5 80GB, NVSwitch, 8x NDR 400 Gb/s.</summary>
    public static NodeSpec DgxH100 => Node("dgx-h100");
    /// <summary>hardware/dgx-h200.yaml: 8x H200 SXM 141GB, NVSwitch, 8x NDR 400 Gb/s.</summary>
    public static NodeSpec DgxH200 => Node("dgx-h200");
    /// <summary>hardware/gb200-nvl72.yaml: one NVLink domain of 72 Blackwell GPUs.</summary>
    public static NodeSpec Gb200Nvl72 => Node("gb200-nvl72");
    /// <summary>hardware/dgx1-v100.yaml: 8x V100 SXM2 in a hybrid cube mesh.</summary>
    public static NodeSpec Dgx1V100 => Node("dgx1-v100");
    /// <summary>hardware/p100-pcie-8x.yaml: 8x P100 PCIe, one 25 GbE NIC.</summary>
    public static NodeSpec P100PcieServer => Node("p100-pcie-8x");
    /// <summary>hardware/cpu-host.yaml: a CPU-only host (2x EPYC 7742), one 100 GbE NIC.</summary>
    public static NodeSpec CpuHost => Node("cpu-host");
    /// <summary>The A100 SXM4 80GB of <see cref="DgxA100"/>.</summary>
    public static DeviceSpec A100Sxm80 => DgxA100.Device;
    /// <summary>The H100 SXM5 80GB of <see cref="DgxH100"/>.</summary>
    public static DeviceSpec H100Sxm => DgxH100.Device;
    /// <summary>The H200 SXM of <see cref="DgxH200"/>.</summary>
    public static DeviceSpec H200Sxm => DgxH200.Device;
    /// <summary>The B200-class GPU of <see cref="Gb200Nvl72"/>.</summary>
    public static DeviceSpec B200 => Gb200Nvl72.Device;
    /// <summary>The V100 SXM2 32GB of <see cref="Dgx1V100"/>.</summary>
    public static DeviceSpec V100Sxm2 => Dgx1V100.Device;
    /// <summary>The P100 PCIe 16GB of <see cref="P100PcieServer"/>.</summary>
    public static DeviceSpec P100Pcie16 => P100PcieServer.Device;
    /// <summary>The two EPYC 7742 sockets of <see cref="CpuHost"/>.</summary>
    public static DeviceSpec Epyc7742Dual => CpuHost.Device;

    private static NodeSpec[] LoadShipped()
    {
        var assembly = typeof(HardwarePresets).Assembly;
        var names = assembly.GetManifestResourceNames()
            .Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal) && r.EndsWith(ResourceSuffix, StringComparison.Ordinal))
            .OrderBy(r => r[ResourcePrefix.Length..^ResourceSuffix.Length], StringComparer.Ordinal).ToArray();
        if (names.Length == 0) throw new InvalidOperationException("Bug: no hardware files are embedded in Sim.Scenarios (see its .csproj).");
        var nodes = new List<NodeSpec>(names.Length);
        foreach (var resource in names)
        {
            string file = "hardware/" + resource[ResourcePrefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            NodeSpec node;
            try { node = HardwareFile.Parse(reader.ReadToEnd(), file); }
            catch (ScenarioException e) { throw new InvalidOperationException($"Bug: the shipped hardware file {file} does not load: {e.Message}", e); }
            // The preset's name is its file's name, so `cluster.preset: X` always means hardware/X.yaml.
            if (!string.Equals(file, $"hardware/{node.Name}{ResourceSuffix}", StringComparison.Ordinal))
                throw new InvalidOperationException($"Bug: the shipped hardware file {file} is named '{node.Name}'; a preset's name must be its file name.");
            nodes.Add(node);
        }
        return nodes.ToArray();
    }
}
