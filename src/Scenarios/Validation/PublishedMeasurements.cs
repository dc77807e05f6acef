namespace Sim.Scenarios.Validation;

/// <summary>
/// The catalogue of published measurements the simulator is checked against (Calculon-style
/// validation built into the tool). Every entry names its source; the scenarios use the tool's
/// defaults (a roofline at 50% of peak FLOP/s and 70% of memory bandwidth), chosen before these
/// comparisons and not fitted to them.
/// </summary>
public static class PublishedMeasurements
{
    private static PublishedMeasurement MtNlg(int nodes, double seconds)
    {
        int dp = nodes * 8 / (8 * 35);
        int microbatches = 1920 / dp;
        return new PublishedMeasurement(
            Name: $"mt-nlg-530b-{nodes * 8}-gpus",
            System: $"Megatron-Turing NLG 530B on {nodes} DGX A100 servers ({nodes * 8} A100 GPUs, HDR InfiniBand), TP 8 x PP 35 x DP {dp}, global batch 1920",
            Source: "Smith et al., \"Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B\", arXiv:2201.11990 (2022), Section 2.4: iteration latency",
            Metric: "iteration_mean_s",
            Measured: seconds,
            Unit: "s",
            ScenarioYaml: $$$"""
                name: mt-nlg-530b-{{{nodes * 8}}}
                description: MT-NLG 530B, TP 8 x PP 35 x DP {{{dp}}}, 1F1B, full recomputation
                cluster: {preset: dgx-a100, nodes: {{{nodes}}}, fabric: rail_optimized}
                network: {backend: flow, collective: ring}
                model: {gpt: {layers: 105, hidden: 20480, heads: 128, sequence: 2048, vocabulary: 50272}, attention: unfused}
                compute: {precision: bf16}
                training: {mode: pipeline, micro_batch: 1, iterations: 1}
                pipeline: {schedule: 1f1b, stages: 35, microbatches: {{{microbatches}}}, tensor_parallel: 8, data_parallel: {{{dp}}}, recompute: full, partition: uniform}
                outputs: {timeline: false, report: false}
                """,
            Caveats: "The paper's servers had A100 40GB (1.6 TB/s HBM); the preset is the 80GB part (2.0 TB/s), which matters only for memory-bound layers. Micro-batch size 1 is assumed.");
    }

    public static IReadOnlyList<PublishedMeasurement> All { get; } =
    [
        MtNlg(280, 60.1),
        MtNlg(350, 50.2),
        MtNlg(420, 44.4),
    ];
}
