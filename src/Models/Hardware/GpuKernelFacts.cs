namespace Sim.Models.Hardware;

/// <summary>
/// What a GPU's kernels reach in practice, beside the datasheet's ceilings in <see cref="DeviceSpec"/>:
/// the SM count that output tiles are spread over in waves, the tile shapes tensor-core GEMM kernels
/// use, the fraction of peak FLOP/s a large, well-shaped GEMM sustains, the fraction of HBM bandwidth
/// a streaming kernel sustains, the fractions fused attention kernels sustain forward and backward,
/// and the GPU time lost per kernel launch. Like a car's measured track times next to its rated
/// horsepower. Every figure is a datasheet value or a published microbenchmark measurement, named in
/// <see cref="Source"/> and beside the preset; none is fitted to an end-to-end training result.
/// </summary>
public sealed record GpuKernelFacts
{
    /// <summary>Streaming multiprocessors: one thread block (one output tile) runs per SM per wave.</summary>
    public required int StreamingMultiprocessors { get; init; }
    /// <summary>Output tile shapes (rows x columns) of the tensor-core GEMM kernels the library picks from.</summary>
    public required IReadOnlyList<(int Rows, int Columns)> GemmTiles { get; init; }
    /// <summary>Fraction of peak FLOP/s a GEMM sustains when every wave is full (best-shape microbenchmark).</summary>
    public required double GemmEfficiency { get; init; }
    /// <summary>Fraction of the FP8 peak an FP8 GEMM (E4M3 inputs) sustains when every wave is full (the
    /// FP8 best-shape microbenchmark); null where no FP8 measurement is known, and then FP8 training
    /// is refused rather than guessed.</summary>
    public double? Fp8GemmEfficiency { get; init; }
    /// <summary>Fraction of peak memory bandwidth a streaming (memory-bound) kernel sustains.</summary>
    public required double MemoryEfficiency { get; init; }
    /// <summary>Fraction of peak FLOP/s of a fused (flash) attention forward kernel.</summary>
    public required double AttentionForwardEfficiency { get; init; }
    /// <summary>Fraction of peak FLOP/s of a fused (flash) attention backward kernel.</summary>
    public required double AttentionBackwardEfficiency { get; init; }
    /// <summary>GPU time per kernel beyond its own work (launch and tail), seconds.</summary>
    public required double KernelOverheadSeconds { get; init; }
    /// <summary>
    /// The effective SM clock of tensor-core-bound kernels (GEMMs, fused attention) in a training run,
    /// as a fraction of the clock the efficiencies above were measured at. Those microbenchmarks time
    /// short bursts, during which the GPU holds its boost clock; back-to-back work pins the board at its
    /// power limit and the clock settles lower (GPU Boost trades clock for power). Measured as the
    /// sustained over the burst throughput of the same saturated GEMM, which is the clock ratio a
    /// compute-bound kernel actually feels; 1 where no such measurement is known. Memory-bound kernels
    /// keep their rate (the HBM clock is not lowered).
    /// </summary>
    public double SustainedClockFraction { get; init; } = 1;
    /// <summary>
    /// Speed of a FlashAttention-1 kernel (Dao et al. 2022) relative to the FlashAttention-2 kernel the
    /// attention efficiencies describe; null where unmeasured, and then FlashAttention-1 is refused.
    /// </summary>
    public double? FlashAttention1RelativeSpeed { get; init; }
    /// <summary>
    /// FlashAttention-2's speed relative to the kernel the attention figures describe (1 where they are
    /// FlashAttention-2's own, as on A100); null where unmeasured, and then FlashAttention-2 is refused.
    /// </summary>
    public AttentionKernelSpeed? FlashAttention2RelativeSpeed { get; init; }
    /// <summary>
    /// The same relative speeds measured at several sequence lengths (query = key length, the bars of the
    /// figure kernel's own table), sorted by length; empty where only one shape was compared, and then
    /// <see cref="FlashAttention2RelativeSpeed"/> holds at every length. See <see cref="FlashAttention2SpeedAt"/>.
    /// </summary>
    public IReadOnlyList<(int Sequence, AttentionKernelSpeed Speed)> FlashAttention2RelativeSpeedBySequence { get; init; } = [];

    /// <summary>
    /// FlashAttention-2's speed relative to the figure kernel for a kernel of <paramref name="queries"/>
    /// queries over <paramref name="keys"/> keys, each part at the length its rate is read at for the figure
    /// kernel too: the unmasked forward at its key length, the causal forward at its own (square) length,
    /// the backward at its query length (<see cref="FlashAttention2RelativeSpeedBySequence"/> read in log2
    /// of the length, held at the ends); <see cref="FlashAttention2RelativeSpeed"/> without a table, null
    /// where neither was measured.
    /// </summary>
    public AttentionKernelSpeed? FlashAttention2SpeedAt(double queries, double keys) => FlashAttention2RelativeSpeedBySequence.Count == 0
        ? FlashAttention2RelativeSpeed
        : new AttentionKernelSpeed(
            ByLength(FlashAttention2RelativeSpeedBySequence, static p => p.Sequence, static p => p.Speed.Forward, keys),
            ByLength(FlashAttention2RelativeSpeedBySequence, static p => p.Sequence, static p => p.Speed.CausalForward, queries),
            ByLength(FlashAttention2RelativeSpeedBySequence, static p => p.Sequence, static p => p.Speed.Backward, queries));
    /// <summary>
    /// Rate of the fused attention forward kernel under a causal mask relative to the same kernel
    /// without one, each counted in the FLOPs it does (the masked half skipped): the blocks on the
    /// diagonal are computed whole and then masked, and rows end unevenly, so the causal kernel reaches
    /// a lower fraction of peak. Measured at the shape <see cref="AttentionForwardEfficiency"/> was
    /// (FlashAttention papers' forward figures with and without the mask). 1 where unmeasured. The
    /// backward kernel keeps its rate: no causal backward figure is published for every device.
    /// </summary>
    public double CausalAttentionForwardRelativeEfficiency { get; init; } = 1;
    /// <summary>
    /// The same relative rate measured at several sequence lengths (query = key length), sorted by
    /// length: the masked diagonal blocks and the ragged row ends are a smaller share of a longer
    /// sequence's work, so the causal kernel closes on the unmasked one as the sequence grows. Empty
    /// where only one shape was timed; then <see cref="CausalAttentionForwardRelativeEfficiency"/> holds at
    /// every length. See <see cref="CausalForwardRelativeEfficiencyAt"/>.
    /// </summary>
    public IReadOnlyList<(int Sequence, double Relative)> CausalAttentionForwardBySequence { get; init; } = [];
    /// <summary>
    /// The figure kernel's unmasked forward and backward rates (TFLOP/s, burst clock) measured at several
    /// sequence lengths (query = key length, the same tokens per benchmark), sorted by length: a longer
    /// loop over keys (forward) or queries (backward) spreads each tile's load and epilogue over more
    /// work. Empty where only one shape was timed; then <see cref="AttentionForwardEfficiency"/> and
    /// <see cref="AttentionBackwardEfficiency"/> hold at every length. See <see cref="AttentionForwardEfficiencyAt"/>.
    /// </summary>
    public IReadOnlyList<(int Sequence, double ForwardTflops, double BackwardTflops)> AttentionBySequence { get; init; } = [];

    /// <summary>Fraction of <paramref name="peakFlops"/> the unmasked forward kernel reaches over
    /// <paramref name="keys"/> keys (its inner loop): <see cref="AttentionBySequence"/> read in log2 of
    /// the length, held at the ends; <see cref="AttentionForwardEfficiency"/> without a table.</summary>
    public double AttentionForwardEfficiencyAt(double keys, double peakFlops) => AttentionBySequence.Count == 0
        ? AttentionForwardEfficiency
        : ByLength(AttentionBySequence, static p => p.Sequence, static p => p.ForwardTflops, keys) * 1e12 / peakFlops;

    /// <summary>Fraction of <paramref name="peakFlops"/> the backward kernel reaches over
    /// <paramref name="queries"/> queries (its inner loop); <see cref="AttentionBackwardEfficiency"/> without a table.</summary>
    public double AttentionBackwardEfficiencyAt(double queries, double peakFlops) => AttentionBySequence.Count == 0
        ? AttentionBackwardEfficiency
        : ByLength(AttentionBySequence, static p => p.Sequence, static p => p.BackwardTflops, queries) * 1e12 / peakFlops;

    /// <summary>
    /// The causal / unmasked forward rate of a causal attention over <paramref name="sequence"/> tokens:
    /// from <see cref="CausalAttentionForwardBySequence"/> read linearly in log2 of the length between
    /// the two measured lengths around it (the benchmarks double the length from point to point), held at
    /// the first or last measured value outside them (nothing is extrapolated); the single figure without
    /// a table.
    /// </summary>
    public double CausalForwardRelativeEfficiencyAt(double sequence) =>
        CausalAttentionForwardBySequence.Count == 0 ? CausalAttentionForwardRelativeEfficiency
            : ByLength(CausalAttentionForwardBySequence, static p => p.Sequence, static p => p.Relative, sequence);

    /// <summary>A by-length table read linearly in log2 of the length between the two measured lengths
    /// around <paramref name="sequence"/>, held at the first or last value outside them.</summary>
    private static double ByLength<T>(IReadOnlyList<T> table, Func<T, int> length, Func<T, double> value, double sequence)
    {
        if (sequence <= length(table[0])) return value(table[0]);
        for (int i = 1; i < table.Count; i++)
        {
            if (sequence > length(table[i])) continue;
            double s0 = length(table[i - 1]), s1 = length(table[i]), r0 = value(table[i - 1]), r1 = value(table[i]);
            double w = Math.Log2(sequence / s0) / Math.Log2(s1 / s0);
            return r0 + w * (r1 - r0);
        }
        return value(table[^1]);
    }
    public required string Source { get; init; }

    public void Validate(string path)
    {
        if (StreamingMultiprocessors < 1) throw new SpecError(path + ".streamingMultiprocessors", $"must be >= 1, got {StreamingMultiprocessors}");
        if (GemmTiles.Count == 0) throw new SpecError(path + ".gemmTiles", "must list at least one tile shape");
        foreach (var (r, c) in GemmTiles)
            if (r < 1 || c < 1) throw new SpecError(path + ".gemmTiles", $"tile {r}x{c} must have positive sides");
        Fraction(path + ".gemmEfficiency", GemmEfficiency);
        if (Fp8GemmEfficiency is { } fp8) Fraction(path + ".fp8GemmEfficiency", fp8);
        Fraction(path + ".memoryEfficiency", MemoryEfficiency);
        Fraction(path + ".attentionForwardEfficiency", AttentionForwardEfficiency);
        Fraction(path + ".attentionBackwardEfficiency", AttentionBackwardEfficiency);
        Fraction(path + ".sustainedClockFraction", SustainedClockFraction);
        Fraction(path + ".causalAttentionForwardRelativeEfficiency", CausalAttentionForwardRelativeEfficiency);
        ByLengthPoints(path + ".causalAttentionForwardBySequence", CausalAttentionForwardBySequence, static p => p.Sequence,
            static (at, p) => Fraction(at, p.Relative));
        ByLengthPoints(path + ".attentionBySequence", AttentionBySequence, static p => p.Sequence, static (at, p) =>
        {
            if (!(p.ForwardTflops > 0 && p.BackwardTflops > 0)) throw new SpecError(at, $"forward and backward TFLOP/s must be > 0, got {p.ForwardTflops} and {p.BackwardTflops}");
        });
        if (FlashAttention1RelativeSpeed is { } fa1) Fraction(path + ".flashAttention1RelativeSpeed", fa1);
        FlashAttention2RelativeSpeed?.Validate(path + ".flashAttention2RelativeSpeed");
        ByLengthPoints(path + ".flashAttention2RelativeSpeedBySequence", FlashAttention2RelativeSpeedBySequence, static p => p.Sequence,
            static (at, p) => p.Speed.Validate(at));
        if (!(KernelOverheadSeconds >= 0)) throw new SpecError(path + ".kernelOverheadSeconds", $"must be >= 0, got {KernelOverheadSeconds}");
    }

    /// <summary>Checks a list of figures by sequence length: lengths at least 1 and increasing, then each point's own rule,
    /// each error at the point's path (<c>path[i]</c>).</summary>
    private static void ByLengthPoints<T>(string path, IReadOnlyList<T> points, Func<T, int> length, Action<string, T> check)
    {
        for (int i = 0; i < points.Count; i++)
        {
            int n = length(points[i]);
            string at = $"{path}[{i}]";
            if (n < 1) throw new SpecError(at, $"sequence must be >= 1, got {n}");
            if (i > 0 && n <= length(points[i - 1]))
                throw new SpecError(at, $"sequence lengths must increase, got {n} after {length(points[i - 1])}");
            check(at, points[i]);
        }
    }

    private static void Fraction(string path, double value)
    {
        if (!(value > 0 && value <= 1)) throw new SpecError(path, $"must be in (0, 1], got {value}");
    }
}
