using Sim.Scenarios.Validation;

namespace Sim.Cli.Tests;

/// <summary>
/// The simulator against published measurements of real systems (src/Scenarios/Validation). The bound
/// is a regression guard on the mechanisms, not a fit: the scenarios use the tool's default compute
/// efficiencies, and the errors are printed as they are.
/// </summary>
public sealed class PublishedValidationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>The suite's mean absolute percentage error when it was last committed (printed by
    /// `sim validate published`). Lower it when a mechanism improves; never raise it to pass a change
    /// to the mechanisms.</summary>
    /// <remarks>History: 13.2% over 25 rows; 15.5% when the Narayanan et al. rows took the authors' own
    /// micro-batch sizes and interleaved schedules (examples/sc21/run_table_1.sh) instead of assumed
    /// ones (the old figure rested on wrong assumptions offsetting a compute error); 18.5% when the
    /// FlashAttention training table (5 rows) and BLOOM-176B were added (new rows, same mechanisms);
    /// 17.9% after merging the NCCL-curve work (NVLS and p5 rows); 16.5% after merging the FP8 work's
    /// NeMo recipe rows (8 rows, 3 sources); 15.8% with the two single-node nccl-tests sweeps; 15.67% (from
    /// 15.74%) with sequence parallelism's reduce-scatter and all-gather costed separately; 8.8% when
    /// GEMMs and attention ran at the clock a power-limited GPU sustains (kernels.sustained_clock_fraction:
    /// Hopper 702.9/828.0 from Bekman's MSMF/MAMF, A100 1200/1410 MHz from an nvidia-smi trace), which
    /// moved the compute-bound rows most (FlashAttention table +27..40% -> +9..21%, Narayanan 17.3 -> 5.5%,
    /// NeMo GPT3 13.7 -> 2.0%; Korthikanti 8.0 -> 9.3% and Nemotron4 5.2 -> 13.1% got worse); 7.73% when
    /// the FlashAttention table's five rows ran FlashAttention-1, as they did (table of Nov 2022, FA2 of
    /// Jul 2023), at half FA2's speed (FlashAttention source 30.4% -> 3.9%); 6.83% when each tensor rank
    /// stepped the optimizer on its own 1/t of the stage's parameters instead of the whole tensor group's
    /// (Korthikanti 9.3 -> 5.1%, Nemotron4 13.1 -> 3.1%; 6.84% merged with llm-overlap and nccl-curves);
    /// 7.83% when the NeMo recipe rows ran as the recipes do (TP communication overlap with FP8 all-gathers
    /// under FP8, distributed optimizer with overlapped gathers, Llama 3.1 70B's real CP 2) and
    /// data-parallel interference came from NCCL's channels by default (llm-overlap merged with gpu-compute);
    /// 7.36% when TE's overlapped GEMMs ran on the SMs its userbuffers leave them (set_sm_margin);
    /// 7.32% (7.37% before, all five branches merged) when the causal attention forward kernel ran at its measured
    /// rate relative to the unmasked one (FlashAttention-2/3 papers, Fig. 5); 7.26% on its own branch when
    /// training pipelines' tensor-parallel collectives and the nccl-tests plateau rows were timed as NCCL runs
    /// them (NcclCollectiveTime.Predict: the tuner's pick plus the NVLS chunk-pipeline fill; nccl-tests 2x p5
    /// 9.4 -> 6.1%, 1x H100 rows 2.0 -> 1.6%); both merged: 7.2%; 9.0% over 65 rows
    /// from 17 sources when CNN data parallel (DeepLearningExamples ResNet-50, PyTorch and TensorFlow tables, 8 rows) and
    /// FSDP/ZeRO-3 (MosaicML llm-foundry MPT tables, 15 rows) were added, same mechanisms (new rows: 18.3%, 11.7%
    /// and 10.6% per source); 8.7% over 68 rows from 18 sources with torchtitan's FSDP2 Llama rows on 64 A100 (3 rows,
    /// 2.9%); 8.6% over 69 from 19 merged with nccl-latency and cp-scaling; 8.4% when MPT-7B and 70B on H100 ran the
    /// FlashAttention-2 kernel they ran (model.attention: flash2; MPT source 10.6 -> 9.7%); 8.2% merged with BLOOM on
    /// its own network and DeepSpeed's BF16 optimizer (megatron-3d: BLOOM 19.1 -> 6.0%); 10.1% when ResNet-50's
    /// convolutions became implicit GEMMs at the measured GEMM figure instead of a 50% roofline default (the honest
    /// mechanism lands worse: no conv or TF32 microbenchmark is published to bound it); 8.7% when PyTorch's TF32 rows
    /// ran on NCHW maps as their configs.yml leaves them (cuDNN's layout transposes charged); 7.8% when TensorFlow's TF32
    /// rows did too (TensorFlow and XLA compute non-FP16 convolutions in NCHW); NCCL at the NVLink bandwidth A100 reaches and two nccl-tests #309 plateaus (nccl-curves); ZeRO-3 as PyTorch FSDP runs it, layer by layer on one NCCL stream, with FSDP1's/FSDP2's per-layer copies, and MPT's A100 rows on MPT's Triton attention kernel at FlashAttention-1's measured speed (fsdp-scale: 8.28% alone; the whole-stage gather it replaces had hidden a compute error the MPT 8-GPU rows show); the nccl-tests #149 A100 row at its run's last size, 512 MiB (+14.2 -> +13.4%, nccl-curves); Narayanan et al.'s interleaved rows all-reducing their gradients after the whole schedule as Megatron-LM 2021 did (fsdp-scale: 76.1B +12.9 -> +11.8%); Llama 3 405B in Meta's stated layout of 128 one-layer chunks, v = 8 (llama-pp: rows +0.7/-10.3% -> +14.2/+13.2%; v = 2's 33% bubble had hidden a too-fast compute level); the TensorFlow ResNet-50 rows with XLA's element-wise fusion, as their tables state (cnn-compute: TF AMP 1/8 GPU -0.2/+8.7% -> +17.1/+27.5%), and MLPerf Training v1.0's ResNet-50 on 1 and 8 DGX A100 (-0.0%, +5.3%; 73 rows from 21 sources).</remarks>
    // Raised 0.0746 -> 0.0807, no model change: new source added, 12 rows from NeMo's performance_summary.md at NVIDIA/NeMo 8e3d65dc
    // (NeMo 24.07, FP8, DGX H100, the whole pre-training table; NemoPerformanceSummaryMeasurements.cs): that source alone 11.8%, 10 of 12
    // rows predicted fast (+6..+20%, the narrower the model the faster); suite 7.46% over 73 rows / 21 sources -> 8.06% over 85 / 22.
    private const double CommittedMape = 0.0807; // 8.06% over 85 rows from 22 sources at commit time (session 10: NeMo 24.07 performance summary added; 7.46% over 73 / 21 before it)

    [Fact]
    public void SuiteErrorDoesNotRiseAboveTheCommittedFigure()
    {
        var rows = PublishedValidation.Run();
        foreach (var r in rows) output.WriteLine($"{r.Name}: measured {r.Measured} {r.Unit}, predicted {r.Predicted:G4} {r.Unit}, error {100 * r.RelativeError:+0.0;-0.0}%");
        Assert.Equal(PublishedMeasurements.All.Count, rows.Count);
        Assert.True(rows.Count >= 30, $"the suite shrank to {rows.Count} rows");
        Assert.True(PublishedValidation.MapeBySource(rows).Count >= 19, "the suite lost a source");
        foreach (var (source, count, sourceMape) in PublishedValidation.MapeBySource(rows)) output.WriteLine($"{source}: {sourceMape:P1} over {count}");
        double mape = PublishedValidation.Mape(rows);
        output.WriteLine($"MAPE {mape:P1} (committed {CommittedMape:P1})");
        Assert.InRange(mape, 0, CommittedMape);
        // More GPUs for the same global batch: shorter iterations, as measured.
        var mtNlg = rows.Where(r => r.Name.StartsWith("mt-nlg", StringComparison.Ordinal)).ToArray();
        Assert.True(mtNlg[0].Predicted > mtNlg[1].Predicted && mtNlg[1].Predicted > mtNlg[2].Predicted);
        // Bigger models on the same node: fewer tokens per second, as measured.
        var flash = rows.Where(r => r.Name.StartsWith("flash-gpt3", StringComparison.Ordinal)).ToArray();
        Assert.Equal(5, flash.Length);
        for (int i = 1; i < flash.Length; i++) Assert.True(flash[i].Predicted < flash[i - 1].Predicted, flash[i].Name);
        // Data parallel over 8 GPUs: more images per second than one GPU, never more than 8 times as many (as measured).
        foreach (var one in rows.Where(r => r.Name.StartsWith("dle-", StringComparison.Ordinal) && r.Name.Contains("-1-gpu-", StringComparison.Ordinal)))
        {
            var eight = rows.Single(r => r.Name == one.Name.Replace("-1-gpu-", "-8-gpus-", StringComparison.Ordinal));
            Assert.InRange(eight.Predicted / one.Predicted, 1, 8 + 1e-9);
        }
        // FSDP: a bigger model on the same GPUs trains fewer tokens per second (as measured in every table).
        string[] sizes = ["7b", "13b", "30b", "70b"];
        foreach (string gpus in new[] { "128xh100", "512xh100" })
            for (int i = 1; i < sizes.Length; i++)
                Assert.True(rows.Single(r => r.Name == $"mpt-{sizes[i]}-fsdp-{gpus}").Predicted < rows.Single(r => r.Name == $"mpt-{sizes[i - 1]}-fsdp-{gpus}").Predicted, $"{sizes[i]} on {gpus}");
        // NeMo 24.07 (same GPUs, bigger model: fewer tokens per second; GPT-3 175B on 4x the GPUs: more), as the table measures.
        double Nemo(string name) => rows.Single(r => r.Name == $"nemo2407-{name}-fp8").Predicted;
        Assert.True(Nemo("gpt3-20b-64-gpus") < Nemo("gpt3-5b-64-gpus"));
        Assert.True(Nemo("nemotron-22b-64-gpus") < Nemo("nemotron-8b-64-gpus"));
        Assert.True(Nemo("llama2-70b-64-gpus") < Nemo("nemotron-22b-64-gpus"));
        Assert.True(Nemo("gpt3-175b-512-gpus") > Nemo("gpt3-175b-128-gpus"));
        // Every simulated row accounts for its whole iteration: compute + exposed + bubble = 1.
        foreach (var r in rows.Where(r => r.Split is not null))
            Assert.InRange(r.Split!.Compute + r.Split.ExposedCommunication + r.Split.Bubble, 1 - 1e-6, 1 + 1e-6);
    }

    [Fact]
    public void Every_row_is_cited_named_once_and_states_its_caveats()
    {
        var all = PublishedMeasurements.All;
        Assert.Equal(all.Count, all.Select(m => m.Name).Distinct().Count());
        foreach (var m in all)
        {
            Assert.False(string.IsNullOrWhiteSpace(m.SourceKey), m.Name);
            Assert.False(string.IsNullOrWhiteSpace(m.Caveats), m.Name);
            // Cited to a table, figure, section, file, page or issue, not just to a publication.
            Assert.Matches(@"(Table|Figure|Section|table|README|\.md|\.sh|issue|talk|model card|page|output)", m.Source);
            Assert.True(m.Measured > 0, m.Name);
        }
    }

    [Fact]
    public void ValidateCommandPrintsTheTable()
    {
        var (code, output, error) = SimCommandLine.Invoke("validate", "published");
        Assert.True(code == 0, error);
        Assert.Contains("mt-nlg-530b-2240-gpus", output);
        Assert.Contains("mean absolute percentage error", output);
    }
}
