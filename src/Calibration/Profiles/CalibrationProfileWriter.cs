using System.Text.Json;
using Sim.Core.Files;
using Sim.Calibration.Fitting;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiles;

/// <summary>
/// Writes a calibration profile as JSON, like a notary writing a deed: fixed key order, numbers
/// in shortest round-trip form, and the file appears complete or not at all (written to a temp
/// file, then renamed), so the same profile always gives the same bytes.
/// </summary>
public static class CalibrationProfileWriter
{
    public static void Write(CalibrationProfile profile, string path) => AtomicFile.Write(path, stream => Write(profile, stream));

    public static void Write(CalibrationProfile profile, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("schema", CalibrationProfile.Schema);
        w.WriteNumber("version", profile.SchemaVersion);
        w.WriteString("created", profile.Created);
        w.WriteString("clock", profile.Clock);

        profile.Hardware.WriteJson(w);

        w.WriteStartObject("roofline");
        w.WriteNumber("peak_flops_per_s", profile.Roofline.PeakFlopsPerSecond);
        w.WriteNumber("memory_bytes_per_s", profile.Roofline.MemoryBytesPerSecond);
        w.WriteString("source", profile.Roofline.Source);
        w.WriteEndObject();

        WriteOperations(w, "operations", profile.Operations);
        WriteOperations(w, "operation_classes", profile.OperationClasses);

        w.WriteStartArray("models");
        foreach (var m in profile.Models)
        {
            w.WriteStartObject();
            w.WriteString("model", m.Model);
            w.WriteNumber("train_flops_per_sample", m.TrainFlopsPerSample);
            WriteCurve(w, m.Curve);
            w.WriteNumber("points", m.Points);
            w.WriteNumber("median_relative_error", m.MedianRelativeError);
            w.WriteEndObject();
        }
        w.WriteEndArray();

        w.WriteStartArray("links");
        foreach (var l in profile.Links)
        {
            w.WriteStartObject();
            w.WriteString("link_class", l.LinkClass);
            w.WriteString("backend", l.Backend);
            w.WriteString("collective", l.Collective);
            w.WriteNumber("ranks", l.Ranks);
            w.WriteNumber("alpha_s", l.Cost.AlphaSeconds);
            w.WriteNumber("beta_s_per_byte", l.Cost.BetaSecondsPerByte);
            w.WriteNumber("points", l.Points);
            w.WriteNumber("median_relative_error", l.MedianRelativeError);
            WriteHostCpu(w, "cpu", l.HostCpu);
            WriteHostCpu(w, "ddp_cpu", l.HostCpuInDdp);
            WriteHostCpu(w, "ddp_step_cpu", l.HostCpuOfDdpStep);
            if (l.DdpStepWall is { } wall) WriteLine(w, "ddp_step_wall", wall.Line, wall.MedianRelativeError);
            if (l.CoRunComputeFactor is double coRun) w.WriteNumber("co_run_compute_factor", coRun);
            if (l.ConvCoRunComputeFactor is double convCoRun) w.WriteNumber("co_run_conv_compute_factor", convCoRun);
            WriteHostCpu(w, "ddp_alone_cpu", l.HostCpuOfDdpStepAlone);
            if (l.DdpCpuPerTensor is double perTensor) w.WriteNumber("ddp_step_cpu_s_per_tensor", perTensor);
            if (l.DdpAloneCpuPerTensor is double alonePerTensor) w.WriteNumber("ddp_alone_cpu_s_per_tensor", alonePerTensor);
            if (l.DdpAloneCpuPerStep is double alonePerStep) w.WriteNumber("ddp_alone_cpu_s_per_step", alonePerStep);
            if (l.DdpAloneComputeThreadShare is double share) w.WriteNumber("ddp_alone_compute_thread_share", share);
            if (l.DdpAloneBufferSync is { } sync)
            {
                w.WriteNumber("ddp_alone_buffer_sync_s", sync.SecondsPerCall);
                w.WriteNumber("ddp_alone_buffer_sync_s_per_tensor", sync.SecondsPerTensor);
                w.WriteNumber("ddp_alone_buffer_sync_median_relative_error", sync.MedianRelativeError);
            }
            if (l.DdpBufferBroadcast is { } broadcast)
            {
                w.WriteNumber("ddp_buffer_broadcast_s", broadcast.SecondsPerCall);
                w.WriteNumber("ddp_buffer_broadcast_s_per_tensor", broadcast.SecondsPerTensor);
                w.WriteNumber("ddp_buffer_broadcast_median_relative_error", broadcast.MedianRelativeError);
            }
            if (l.DdpBufferBroadcastWall is { } broadcastWall)
            {
                w.WriteNumber("ddp_buffer_broadcast_wall_s", broadcastWall.SecondsPerCall);
                w.WriteNumber("ddp_buffer_broadcast_wall_s_per_tensor", broadcastWall.SecondsPerTensor);
                w.WriteNumber("ddp_buffer_broadcast_wall_median_relative_error", broadcastWall.MedianRelativeError);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();

        if (profile.Jitter is { } j)
        {
            w.WriteStartObject("jitter");
            w.WriteString("family", j.Family);
            w.WriteStartObject("parameters");
            foreach (var (k, v) in j.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteNumber("log_likelihood", j.LogLikelihood);
            w.WriteNumber("aic", j.Aic);
            w.WriteNumber("samples", j.Samples);
            w.WriteStartObject("aic_by_family");
            foreach (var (k, v) in j.AicByFamily.OrderBy(p => p.Key, StringComparer.Ordinal)) w.WriteNumber(k, v);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteStartArray("sources");
        foreach (var s in profile.Sources)
        {
            w.WriteStartObject();
            w.WriteString("name", s.Name);
            w.WriteString("kind", s.Kind);
            w.WriteNumber("records", s.Records);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteOperations(Utf8JsonWriter w, string key, IReadOnlyList<OperationFit> ops)
    {
        w.WriteStartArray(key);
        foreach (var o in ops)
        {
            w.WriteStartObject();
            w.WriteString("name", o.Name);
            w.WriteString("class", o.OpClass);
            w.WriteString("work", o.Work == WorkKind.Flops ? "flops" : "bytes");
            WriteCurve(w, o.Curve);
            w.WriteStartArray("table");
            foreach (var (work, seconds) in o.Table.Points)
            {
                w.WriteStartArray();
                w.WriteNumberValue(work);
                w.WriteNumberValue(seconds);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteNumber("median_relative_error", o.MedianRelativeError);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void WriteCurve(Utf8JsonWriter w, SaturatingEfficiencyCurve c)
    {
        w.WriteStartObject("curve");
        w.WriteNumber("max_rate", c.MaxRate);
        w.WriteNumber("half_rate_work", c.HalfRateWork);
        w.WriteNumber("sharpness", c.Sharpness);
        w.WriteEndObject();
    }

    private static void WriteHostCpu(Utf8JsonWriter w, string prefix, HostCpuCost? cost)
    {
        if (cost is not null) WriteLine(w, prefix, cost.Line, cost.MedianRelativeError);
    }

    /// <summary>A fitted line a + b S and its median relative error as <c>{prefix}_alpha_s</c>, <c>_beta_s_per_byte</c>, <c>_median_relative_error</c>.</summary>
    private static void WriteLine(Utf8JsonWriter w, string prefix, LinkCost line, double medianRelativeError)
    {
        w.WriteNumber($"{prefix}_alpha_s", line.AlphaSeconds);
        w.WriteNumber($"{prefix}_beta_s_per_byte", line.BetaSecondsPerByte);
        w.WriteNumber($"{prefix}_median_relative_error", medianRelativeError);
    }
}
