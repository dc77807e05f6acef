using System.Text.Json;
using Sim.Calibration.Traces;
using Sim.Core.Files;

namespace Sim.Calibration.TorchSharp;

/// <summary>
/// host-costs.json, written by the TorchSharp profiler beside measurements.json: the measured
/// <see cref="TorchHostCosts"/> and each model's <see cref="TorchStepCounts"/> ("sim-torch-host-costs", version 1).
/// A file of its own so the shared measurement format stays as both profilers write it. Bad files are refused
/// with a <see cref="TraceFormatException"/> naming the file and the key path (or line) and what was expected.
/// </summary>
public static class TorchHostCostFile
{
    public const string FileName = "host-costs.json";
    public const string Schema = "sim-torch-host-costs";
    public const int Version = 1;
    private const long MaxBytes = 1 << 20;

    public static void Write(string path, string clock, TorchHostCosts costs, IReadOnlyList<TorchStepCounts> counts) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteNumber("version", Version);
            w.WriteString("clock", clock);
            w.WriteNumber("dispatch_s_per_op", costs.DispatchSecondsPerOp);
            w.WriteNumber("autograd_s_per_node", costs.AutogradSecondsPerNode);
            w.WriteNumber("parameter_tensor_s", costs.ParameterTensorSeconds);
            w.WriteNumber("sgd_s_per_element", costs.SgdSecondsPerElement);
            w.WriteNumber("step_fixed_s", costs.StepFixedSeconds);
            w.WriteStartArray("models");
            foreach (var c in counts)
            {
                w.WriteStartObject();
                w.WriteString("model", c.Model);
                w.WriteNumber("operator_calls", c.OperatorCalls);
                w.WriteNumber("autograd_nodes", c.AutogradNodes);
                w.WriteNumber("parameter_tensors", c.ParameterTensors);
                w.WriteNumber("parameter_elements", c.ParameterElements);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    public static (TorchHostCosts Costs, IReadOnlyList<TorchStepCounts> Counts) Read(string path)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(InputFile.ReadAllText(path, MaxBytes));
        }
        catch (InputFileException e) { throw new TraceFormatException(path, "file", e.Problem, e); }
        catch (JsonException e) { throw new TraceFormatException(path, $"line {(e.LineNumber ?? 0) + 1}", $"malformed JSON ({e.Message})", e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new TraceFormatException(path, "$", "expected an object");
            if (Text(path, root, "schema", "$") != Schema) throw new TraceFormatException(path, "$.schema", $"expected \"{Schema}\"");
            if (Number(path, root, "version", "$") != Version) throw new TraceFormatException(path, "$.version", $"expected {Version}");
            var costs = new TorchHostCosts(Number(path, root, "dispatch_s_per_op", "$"), Number(path, root, "autograd_s_per_node", "$"),
                Number(path, root, "parameter_tensor_s", "$"), Number(path, root, "sgd_s_per_element", "$"), Number(path, root, "step_fixed_s", "$"));
            if (!root.TryGetProperty("models", out var models) || models.ValueKind != JsonValueKind.Array)
                throw new TraceFormatException(path, "$.models", "expected an array of models");
            var counts = new List<TorchStepCounts>();
            int i = 0;
            foreach (var m in models.EnumerateArray())
            {
                string at = $"$.models[{i++}]";
                if (m.ValueKind != JsonValueKind.Object) throw new TraceFormatException(path, at, "expected an object");
                counts.Add(new TorchStepCounts(Text(path, m, "model", at), Count(path, m, "operator_calls", at), Count(path, m, "autograd_nodes", at),
                    Count(path, m, "parameter_tensors", at), (long)Number(path, m, "parameter_elements", at)));
            }
            return (costs, counts);
        }
    }

    private static string Text(string path, JsonElement obj, string key, string at) =>
        obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
            : throw new TraceFormatException(path, $"{at}.{key}", "expected a string");

    /// <summary>A finite number of at least zero (every host cost and count is).</summary>
    private static double Number(string path, JsonElement obj, string key, string at) =>
        obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double d) && double.IsFinite(d) && d >= 0 ? d
            : throw new TraceFormatException(path, $"{at}.{key}", "expected a finite number >= 0");

    private static int Count(string path, JsonElement obj, string key, string at) =>
        obj.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int n) && n >= 0 ? n
            : throw new TraceFormatException(path, $"{at}.{key}", "expected a whole number >= 0");
}
