using System.Text.Json;
using Sim.Core.Files;

namespace Sim.Calibration.Traces;

/// <summary>
/// Writes a <see cref="MeasurementSet"/> in the "sim-measurements" format that <see cref="MeasurementSetReader"/>
/// reads (the version that reader calls current), so in-process profilers (TorchSharp) produce the same files
/// as the Python script. Deterministic bytes for the same set; written to a temporary file and renamed, so a
/// reader never sees half a file.
/// </summary>
public static class MeasurementSetWriter
{
    public static void Write(MeasurementSet set, string path) => AtomicFile.Write(path, stream => Write(set, stream));

    public static void Write(MeasurementSet set, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("schema", MeasurementSetReader.Schema);
        w.WriteNumber("version", MeasurementSetReader.CurrentVersion);
        w.WriteString("created", set.Created);
        set.Hardware.WriteJson(w);
        w.WriteString("clock", set.Clock);
        // v6: what the measured process allocated with (an in-process profiler runs with this process's allocator)
        w.WriteString("allocator", set.Allocator ?? "default");

        w.WriteStartArray("ops");
        foreach (var o in set.Ops)
        {
            w.WriteStartObject();
            w.WriteString("op", o.Op);
            w.WriteString("class", o.OpClass);
            w.WriteString("work", o.Work == WorkKind.Flops ? "flops" : "bytes");
            w.WriteStartArray("shapes");
            foreach (var shape in o.Shapes)
            {
                w.WriteStartArray();
                foreach (long d in shape) w.WriteNumberValue(d);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteNumber("flops", o.Flops);
            w.WriteNumber("bytes", o.Bytes);
            w.WriteNumber("median_s", o.MedianSeconds);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("models");
        foreach (var m in set.Models)
        {
            w.WriteStartObject();
            w.WriteString("model", m.Model);
            w.WriteNumber("batch", m.Batch);
            w.WriteNumber("forward_flops", m.ForwardFlops);
            w.WriteNumber("train_flops", m.TrainFlops);
            w.WriteNumber("parameters", m.Parameters);
            w.WriteNumber("step_median_s", m.MedianSeconds);
            w.WriteStartArray("step_samples_s");
            foreach (double s in m.Samples) w.WriteNumberValue(s);
            w.WriteEndArray();
            if (m.WindowMedians is { } windows)
            {
                w.WriteStartArray("step_window_medians_s");
                foreach (double s in windows) w.WriteNumberValue(s);
                w.WriteEndArray();
            }
            w.WriteStartArray("layers");
            foreach (var l in m.Layers)
            {
                w.WriteStartObject();
                w.WriteString("name", l.Name);
                w.WriteString("kind", l.Kind);
                w.WriteNumber("forward_flops", l.ForwardFlops);
                w.WriteNumber("parameters", l.Parameters);
                w.WriteNumber("output_bytes", l.OutputBytes);
                w.WriteNumber("forward_s", l.ForwardSeconds);
                w.WriteNumber("backward_s", l.BackwardSeconds);
                if (l.BufferBytes > 0) w.WriteNumber("buffer_bytes", l.BufferBytes);
                if (l.ParameterTensors is int tensors) w.WriteNumber("parameter_tensors", tensors);
                if (l.BufferTensors is int buffers) w.WriteNumber("buffer_tensors", buffers);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("collectives");
        foreach (var c in set.Collectives)
        {
            if (c.CpuSeconds is null) throw new ArgumentException($"collective {c.Collective} at {c.Bytes} B has no CPU time; version {MeasurementSetReader.CurrentVersion} requires it");
            w.WriteStartObject();
            w.WriteString("backend", c.Backend);
            w.WriteString("op", c.Collective);
            w.WriteNumber("world", c.WorldSize);
            w.WriteNumber("bytes", c.Bytes);
            w.WriteNumber("median_s", c.Seconds);
            w.WriteNumber("cpu_median_s", c.CpuSeconds.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("ddp_pattern");
        foreach (var d in set.DdpPatternRows)
        {
            w.WriteStartObject();
            w.WriteString("backend", d.Backend);
            w.WriteNumber("world", d.WorldSize);
            w.WriteNumber("bucket_bytes", d.BucketBytes);
            w.WriteNumber("buckets", d.Buckets);
            w.WriteNumber("compute_flops", d.ComputeFlops);
            w.WriteNumber("steps", d.Steps);
            w.WriteNumber("wall_median_s", d.WallSeconds);
            w.WriteNumber("cpu_median_s", d.CpuSeconds);
            w.WriteNumber("main_cpu_median_s", d.MainThreadCpuSeconds);
            w.WriteNumber("compute_wall_median_s", d.ComputeWallSeconds);
            w.WriteNumber("compute_cpu_median_s", d.ComputeCpuSeconds);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("ddp_steps");
        foreach (var d in set.DdpStepRows)
        {
            w.WriteStartObject();
            w.WriteString("backend", d.Backend);
            w.WriteNumber("world", d.WorldSize);
            if (d.Kind != DdpStepMeasurement.Linear) w.WriteString("kind", d.Kind);
            w.WriteNumber("layers", d.Layers);
            w.WriteNumber("width", d.Width);
            w.WriteNumber("tensors", d.Tensors);
            w.WriteNumber("bytes", d.Bytes);
            w.WriteNumber("bucket_cap_bytes", d.BucketCapBytes);
            w.WriteStartArray("bucket_sizes");
            foreach (long b in d.BucketSizes) w.WriteNumberValue(b);
            w.WriteEndArray();
            w.WriteNumber("steps", d.Steps);
            w.WriteNumber("cpu_median_s", d.CpuSeconds);
            w.WriteNumber("main_cpu_median_s", d.MainThreadCpuSeconds);
            w.WriteNumber("plain_cpu_median_s", d.PlainCpuSeconds);
            w.WriteNumber("plain_main_cpu_median_s", d.PlainMainThreadCpuSeconds);
            w.WriteNumber("wall_median_s", d.WallSeconds);
            w.WriteNumber("plain_wall_median_s", d.PlainWallSeconds);
            if (d.SoloMainThreadCpuSeconds is not double solo || d.SoloWallSeconds is not double soloWall)
                throw new ArgumentException($"DDP step row {d.Layers} x {d.Width} has no solo step; version {MeasurementSetReader.CurrentVersion} requires it");
            w.WriteNumber("solo_main_cpu_median_s", solo);
            w.WriteNumber("solo_wall_median_s", soloWall);
            if (d.MeanCpuSeconds is double mean && d.PlainMeanCpuSeconds is double plainMean)
            {
                w.WriteNumber("cpu_mean_s", mean);
                w.WriteNumber("plain_cpu_mean_s", plainMean);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("ddp_buffer_sync");
        foreach (var b in set.DdpBufferSyncRows)
        {
            w.WriteStartObject();
            w.WriteString("backend", b.Backend);
            w.WriteNumber("world", b.WorldSize);
            w.WriteNumber("layers", b.Layers);
            w.WriteNumber("width", b.Width);
            w.WriteNumber("tensors", b.Tensors);
            w.WriteNumber("bytes", b.Bytes);
            w.WriteNumber("calls", b.Calls);
            w.WriteNumber("cpu_median_s", b.CpuSeconds);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("ddp_buffer_broadcast");
        foreach (var b in set.DdpBufferBroadcastRows)
        {
            w.WriteStartObject();
            w.WriteString("backend", b.Backend);
            w.WriteNumber("world", b.WorldSize);
            w.WriteString("kind", DdpStepMeasurement.ConvBatchNorm);
            w.WriteNumber("batch", b.Batch);
            w.WriteNumber("blocks", b.Blocks);
            w.WriteNumber("width", b.Width);
            w.WriteNumber("map_size", b.MapSize);
            w.WriteNumber("tensors", b.Tensors);
            w.WriteNumber("bytes", b.Bytes);
            w.WriteNumber("buffer_tensors", b.BufferTensors);
            w.WriteNumber("buffer_bytes", b.BufferBytes);
            w.WriteNumber("bucket_cap_bytes", b.BucketCapBytes);
            w.WriteStartArray("bucket_sizes");
            foreach (long size in b.BucketSizes) w.WriteNumberValue(size);
            w.WriteEndArray();
            w.WriteNumber("steps", b.Steps);
            foreach (var (prefix, v) in new[] { ("", b.Ddp), ("nobuf_", b.NoBroadcast), ("plain_", b.Plain) })
            {
                w.WriteNumber(prefix + "cpu_median_s", v.CpuSeconds);
                w.WriteNumber(prefix + "cpu_mean_s", v.MeanCpuSeconds);
                w.WriteNumber(prefix + "main_cpu_median_s", v.MainThreadCpuSeconds);
                w.WriteNumber(prefix + "wall_median_s", v.WallSeconds);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        // v10: the machine's speed while the steps were measured (null: none measured)
        if (set.SpeedReference is { } r)
        {
            w.WriteStartObject("speed_reference");
            w.WriteString("mix", r.Mix);
            w.WriteString("clock", r.Clock);
            foreach (var (key, values) in new[] { ("window_medians_s", r.WindowMedians), ("wall_window_medians_s", r.WallWindowMedians),
                         ("matmul_window_medians_s", r.MatmulWindowMedians), ("elementwise_window_medians_s", r.ElementwiseWindowMedians),
                         ("dispatch_window_medians_s", r.DispatchWindowMedians) })
            {
                w.WriteStartArray(key);
                foreach (double v in values) w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteNumber("kernel_grid_before_s", r.KernelGridBeforeSeconds);
            w.WriteNumber("kernel_grid_after_s", r.KernelGridAfterSeconds);
            w.WriteEndObject();
        }
        else w.WriteNull("speed_reference");
        w.WriteEndObject();
    }
}
