namespace Sim.Cli.Tests.Hostile;

/// <summary>
/// The hostile inputs of issue #14 and many more, as data: each case prepares files in a
/// <see cref="HostileWorkspace"/>, returns the `sim` command line, and names a regular expression
/// the error must match (file:line:col and key path where the input has them).
/// </summary>
public static class HostileCases
{
    /// <summary>A valid, cheap training scenario (closed-form network, 3 iterations). Line numbers
    /// below refer to it: 1 name, 2 cluster, 3 network, 4 model, 5 training, 6 outputs, 7+ extras.</summary>
    public const string Base =
        "name: h\n" +
        "cluster: {preset: dgx-a100, nodes: 1}\n" +
        "network: {backend: closed_form, collective: ring}\n" +
        "model: {zoo: resnet50}\n" +
        "training: {mode: data_parallel, micro_batch: 8, iterations: 3}\n" +
        "outputs: {timeline: false, report: false}\n";

    /// <summary>A valid, cheap federated scenario: 1 name, 2 population, 3 synthetic, 4 federated, 5 outputs.</summary>
    public const string Federated =
        "name: f\n" +
        "population:\n" +
        "  synthetic: {clients: 200}\n" +
        "federated: {mode: sync, rounds: 3, clients_per_round: 10}\n" +
        "outputs: {report: false}\n";

    public sealed record HostileCase(Func<HostileWorkspace, string[]> Prepare, string Expected);

    private static string[] RunYaml(HostileWorkspace ws, string yaml, string file = "h.yaml") =>
        ["run", ws.Write(file, yaml), "--out", ws.OldResults, "--quiet"];

    private static HostileCase Training(string from, string to, string expected) =>
        new(ws => RunYaml(ws, Replace(Base, from, to)), expected);

    private static HostileCase TrainingPlus(string extra, string expected) =>
        new(ws => RunYaml(ws, Base + extra), expected);

    private static HostileCase Fed(string from, string to, string expected) =>
        new(ws => RunYaml(ws, Replace(Federated, from, to), "f.yaml"), expected);

    private static string Replace(string text, string from, string to)
    {
        if (!text.Contains(from, StringComparison.Ordinal)) throw new ArgumentException($"'{from}' is not in the base scenario");
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    private static HostileCase TraceCase(string trace, string expected) =>
        new(ws =>
        {
            ws.Write("trace.csv", trace);
            return RunYaml(ws, Replace(Federated, "  synthetic: {clients: 200}", "  trace: trace.csv"), "f.yaml");
        }, expected);

    /// <summary>A copy of the shipped CPU calibration traces whose measurements.json has every value of
    /// <paramref name="key"/> replaced by <paramref name="value"/>, fed to `sim calibrate fit`.</summary>
    private static string[] CalibrationDir(HostileWorkspace ws, string key, string value)
    {
        string source = Path.Combine(RepositoryPaths.Root, "traces", "cpu-amd-epyc");
        string dir = ws.Path_("cal");
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        string m = Path.Combine(dir, "measurements.json");
        File.WriteAllText(m, System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(m), System.Text.RegularExpressions.Regex.Escape(key) + @"[0-9.eE+-]+", key + value));
        return ["calibrate", "fit", dir, "--out", ws.Path_("profile.json")];
    }

    private const string TraceHeader = "client_id,seconds_per_sample,downlink_mbps,uplink_mbps,samples,availability\n";

    public static readonly IReadOnlyDictionary<string, HostileCase> All = new Dictionary<string, HostileCase>
    {
        // ---- issue #14: stack traces ----
        ["fed trace: unknown column"] = TraceCase("client,speed\n0,1\n", @"trace\.csv:1:1: unknown column 'client'"),
        ["fed trace: NUL byte"] = TraceCase(TraceHeader + "0,0.1,10,5,100,al\0ways\n", @"trace\.csv:2:\d+: a NUL character"),
        ["fed trace: line without end"] = TraceCase(TraceHeader + new string('9', 70_000), @"trace\.csv:2:65537: line longer than 65,536 characters"),
        ["fed trace: bad number"] = TraceCase(TraceHeader + "0,fast,10,5,100,always\n", @"trace\.csv:2:3: seconds_per_sample: expected a finite number >= 0, got 'fast'"),
        ["fed trace: infinite bandwidth"] = TraceCase(TraceHeader + "0,0.1,1e308,5,100,always\n", @"trace\.csv:2:\d+: downlink_mbps: expected a finite number > 0, got '1e308'"),
        ["fed trace: wrong client id"] = TraceCase(TraceHeader + "7,0.1,10,5,100,always\n", @"trace\.csv:2:1: client_id: expected 0"),
        ["fed trace: overlapping intervals"] = TraceCase(TraceHeader + "0,0.1,10,5,100,10-20;15-30\n", @"trace\.csv:2:\d+: availability: intervals must be sorted"),
        ["fed trace: samples above int"] = TraceCase(TraceHeader + "0,0.1,10,5,3000000000,always\n", @"trace\.csv:2:\d+: samples: expected a whole number"),
        ["workers above 2^31-1"] = Training("micro_batch: 8,", "micro_batch: 8, workers: 3000000000,", @"h\.yaml:5:\d+: training\.workers: expected an integer >= 1, got '3000000000' \(the largest value this key takes is 2147483647\)"),
        ["micro_batch above 2^31-1"] = Training("micro_batch: 8", "micro_batch: 2147483648", @"h\.yaml:5:\d+: training\.micro_batch: expected an integer in \[1, 1048576\], got '2147483648'"),
        ["gpt layers above 2^31-1"] = Training("{zoo: resnet50}", "{gpt: {layers: 4294967296, hidden: 64, heads: 4, sequence: 16}}", @"h\.yaml:4:\d+: model\.gpt\.layers: expected an integer in \[1, 100000\], got '4294967296'"),
        ["federated rounds above 2^31-1"] = Fed("rounds: 3", "rounds: 3000000000", @"f\.yaml:4:\d+: federated\.rounds: expected an integer in \[1, 10000000\], got '3000000000'"),
        ["staleness above 2^31-1"] = new(ws => RunYaml(ws, Replace(Base, "mode: data_parallel", "mode: parameter_server") + "parameter_server: {consistency: ssp, staleness: 3000000000}\n"), @"h\.yaml:7:\d+: parameter_server\.staleness: expected an integer in \[0, 100000000\], got '3000000000'"),
        ["number wider than 64 bits"] = Training("iterations: 3", "iterations: 99999999999999999999", @"h\.yaml:5:\d+: training\.iterations: expected an integer in \[1, 100000000\], got '99999999999999999999'"),
        ["gpt sizes whose counts overflow"] = Training("{zoo: resnet50}", "{gpt: {layers: 100000, hidden: 1048576, heads: 1, sequence: 16777216, vocabulary: 16777216}}", @"h\.yaml:\d+:\d+: (model\.gpt: |this run would need)"),
        ["2e9 pipeline micro-batches"] = new(ws => RunYaml(ws, Replace(Base, "mode: data_parallel", "mode: pipeline") + "pipeline: {stages: 2, microbatches: 2000000000}\n"), @"h\.yaml:7:\d+: pipeline\.microbatches: expected an integer in \[1, 1048576\], got '2000000000'"),
        ["gradient_bytes 1e308"] = Training("iterations: 3", "iterations: 3, gradient_bytes: 1e308", @"h\.yaml:5:\d+: training\.gradient_bytes: expected a number in \(0, 16\], got '1e308'"),
        ["MTBF of 1e-300 hours"] = TrainingPlus("failures: {gpu_mtbf_hours: 1e-300}\n", @"h\.yaml:7:\d+: failures\.gpu_mtbf_hours: the job as a whole \(8 GPUs\) fails on average every .* so it would never finish"),
        ["jitter that draws negative values"] = TrainingPlus("stragglers:\n  jitter: normal(1, 5)\n", @"h\.yaml:8:\d+: stragglers\.jitter: a compute multiplier must never be negative, but normal\(1, 5\) draws values <= 0 with probability 0\.421"),
        ["--out at an existing file"] = new(ws => ["run", ws.Write("h.yaml", Base), "--out", ws.Write("a-file", "x"), "--quiet"], @"a-file: expected a results folder, got an existing file"),
        ["--out inside /sys"] = new(ws => ["run", ws.Write("h.yaml", Base), "--out", "/sys/sim-results", "--quiet"], @"/sys: cannot write results here"),
        ["--out inside /proc"] = new(ws => ["run", ws.Write("h.yaml", Base), "--out", "/proc/self/sim-results", "--quiet"], @"/proc/self: cannot write results here"),
        ["--out below a file"] = new(ws => ["run", ws.Write("h.yaml", Base), "--out", Path.Combine(ws.Write("plain", "x"), "sub"), "--quiet"], @"plain: expected a folder to hold sub, got an existing file"),
        ["--out at the root"] = new(ws => ["run", ws.Write("h.yaml", Base), "--out", "/", "--quiet"], @"/: expected a results folder, got the file-system root"),
        ["--out at a folder of the user's"] = new(ws => { ws.Write("mine/notes.txt", "precious"); return ["run", ws.Write("h.yaml", Base), "--out", ws.Path_("mine"), "--quiet"]; }, @"mine: exists and is not a results folder"),
        // ---- issue #14: unbounded memory or hangs ----
        ["/dev/zero as scenario"] = new(ws => ["run", "/dev/zero", "--out", ws.OldResults], @"/dev/zero:1:1: expected a regular file, got a character device"),
        ["FIFO as scenario"] = new(ws => ["run", ws.Fifo("pipe.yaml"), "--out", ws.OldResults], @"pipe\.yaml:1:1: expected a regular file, got a FIFO \(named pipe\)"),
        ["folder as scenario"] = new(ws => ["run", ws.Dir, "--out", ws.OldResults], @"sim-hostile-[^:]*:1:1: expected a regular file, got a directory"),
        ["/dev/zero as empirical samples"] = TrainingPlus("stragglers:\n  jitter: empirical(\"/dev/zero\")\n", @"h\.yaml:8:\d+: stragglers\.jitter: .*/dev/zero:1:1: expected a regular file, got a character device"),
        ["FIFO as empirical samples"] = new(ws => { ws.Fifo("samples.txt"); return RunYaml(ws, Base + "stragglers:\n  jitter: empirical(\"samples.txt\")\n"); }, @"h\.yaml:8:\d+: stragglers\.jitter: .*samples\.txt:1:1: expected a regular file, got a FIFO"),
        ["/dev/zero as calibration profile"] = TrainingPlus("compute: {profile: /dev/zero}\n", @"h\.yaml:7:\d+: compute\.profile: /dev/zero: file: expected a regular file, got a character device"),
        ["FIFO as calibration profile"] = new(ws => { ws.Fifo("profile.json"); return RunYaml(ws, Base + "compute: {profile: profile.json}\n"); }, @"h\.yaml:7:\d+: compute\.profile: .*profile\.json: file: expected a regular file, got a FIFO"),
        ["FIFO as device trace"] = new(ws => { ws.Fifo("trace.csv"); return RunYaml(ws, Replace(Federated, "  synthetic: {clients: 200}", "  trace: trace.csv"), "f.yaml"); }, @"trace\.csv:1:1: expected a regular file, got a FIFO"),
        ["/dev/zero as device trace"] = new(ws => RunYaml(ws, Replace(Federated, "  synthetic: {clients: 200}", "  trace: /dev/zero"), "f.yaml"), @"/dev/zero:1:1: expected a regular file, got a character device"),
        ["FIFO as measurement file"] = new(ws => { Directory.CreateDirectory(ws.Path_("meas")); ws.Fifo("meas/measurements.json"); return ["validate", "ddp", "--measurements", ws.Path_("meas"), "--out", ws.OldResults]; }, @"measurements\.json: file: expected a regular file, got a FIFO"),
        ["/dev/zero as sweep base"] = new(ws => ["sweep", "run", ws.Write("s.yaml", "name: s\nbase: /dev/zero\ngrid:\n  training.iterations: [2]\n"), "--out", ws.OldResults], @"/dev/zero:1:1: expected a regular file, got a character device"),
        ["FIFO as sweep file"] = new(ws => ["sweep", "run", ws.Fifo("s.yaml"), "--out", ws.OldResults], @"s\.yaml:1:1: expected a regular file, got a FIFO"),
        ["FIFO as sweep manifest"] = new(ws => { Directory.CreateDirectory(ws.Path_("sw")); ws.Fifo("sw/manifest.json"); return ["sweep", "merge", ws.Path_("sw")]; }, @"manifest\.json:1:1: expected a regular file, got a FIFO"),
        ["/dev/zero as compare input"] = new(ws => ["compare", "/dev/zero", ws.OldResults], @"/dev/zero:1:1: expected a regular file, got a character device"),
        ["FIFO as compare input"] = new(ws => ["compare", ws.Fifo("summary.json"), ws.OldResults], @"summary\.json:1:1: expected a regular file, got a FIFO"),
        ["nodes 1,000,000 on the flow network"] = new(ws => RunYaml(ws, Replace(Replace(Base, "nodes: 1}", "nodes: 1000000}"), "backend: closed_form", "backend: flow")), @"h\.yaml:1:1: this run would need about 1\d\.\d GiB of memory, above the budget of 8\.0 GiB"),
        ["100 million synthetic clients"] = Fed("clients: 200", "clients: 100000000", @"f\.yaml:1:1: this run would need about 1\d\.\d GiB of memory, above the budget"),
        ["2e9 edge aggregators"] = Fed("clients_per_round: 10", "clients_per_round: 10, edge_aggregators: 2000000000", @"f\.yaml:4:\d+: federated\.edge_aggregators: expected an integer in \[0, 1048576\], got '2000000000'"),
        ["2e9 servers"] = new(ws => RunYaml(ws, Replace(Base, "mode: data_parallel", "mode: parameter_server") + "parameter_server: {servers: 2000000000}\n"), @"h\.yaml:7:\d+: parameter_server\.servers: expected an integer in \[1, 65536\], got '2000000000'"),
        ["2e9 async concurrency"] = Fed("mode: sync", "mode: async, concurrency: 2000000000", @"f\.yaml:4:\d+: federated\.concurrency: expected an integer in \[1, 100000000\], got '2000000000'"),
        ["2e9 local steps"] = Training("mode: data_parallel", "mode: local_sgd, local_steps: 2000000000", @"h\.yaml:5:\d+: training\.local_steps: expected an integer in \[1, 10000\], got '2000000000'"),
        ["100 million iterations"] = Training("iterations: 3", "iterations: 100000000", @"h\.yaml:1:1: this run would need about .* above the budget"),
        // ---- issue #14: messages without a location or with a wrong one ----
        ["optimizer time that overflows the timeline"] = Training("iterations: 3", "iterations: 3, optimizer_ms: 1e308", @"h\.yaml:5:\d+: training\.optimizer_ms: expected a number in \[0, 3600000\], got '1e308'"),
        ["3D product that overflows an int"] = new(ws => RunYaml(ws, Replace(Replace(Replace(Base, "nodes: 1}", "nodes: 1000}"), "mode: data_parallel", "mode: pipeline"), "closed_form", "analytical") + "pipeline: {stages: 65536, microbatches: 4, tensor_parallel: 1024, data_parallel: 16777216}\n"),
            @"h\.yaml:7:\d+: pipeline\.stages: tensor_parallel x stages x data_parallel = 1024 x 65536 x 16777216 = 1125899906842624 GPUs, but the cluster has 8000"),
        ["negative number beyond int"] = Training("iterations: 3", "iterations: -4294967296", @"h\.yaml:5:\d+: training\.iterations: expected an integer in \[1, 100000000\], got '-4294967296'"),
        ["--seed that is a word"] = new(ws => ["run", ws.Write("h.yaml", Base), "--seed", "abc", "--out", ws.OldResults], @"--seed: expected a whole number in \[0, 18446744073709551615\], got 'abc'"),
        ["--seed negative"] = new(ws => ["run", ws.Write("h.yaml", Base), "--seed", "-1", "--out", ws.OldResults], @"--seed: expected a whole number in \[0, 18446744073709551615\], got '-1'"),
        ["--seed above 2^64"] = new(ws => ["run", ws.Write("h.yaml", Base), "--seed", "18446744073709551616", "--out", ws.OldResults], @"--seed: expected a whole number .* got '18446744073709551616'"),
        ["sweep merge of a missing folder"] = new(ws => ["sweep", "merge", ws.Path_("nowhere")], @"nowhere: no such folder; expected a sweep results folder"),
        ["sweep merge of a foreign folder"] = new(ws => { ws.Write("foreign/readme.txt", "x"); return ["sweep", "merge", ws.Path_("foreign")]; }, @"foreign: no manifest\.json; expected a sweep results folder"),
        ["sweep manifest that is not JSON"] = new(ws => { ws.Write("sw/manifest.json", "{\"format\": "); return ["sweep", "merge", ws.Path_("sw")]; }, @"manifest\.json: not a valid sweep manifest"),
        ["summary with duplicate keys"] = new(ws => ["compare", ws.Write("dup/summary.json", "{\"format\": \"sim-summary/1\", \"format\": \"x\"}"), ws.OldResults], @"dup/summary\.json"),
        // ---- issue #14: path escape ----
        ["name ../../x"] = Training("name: h", "name: ../../x", @"h\.yaml:1:7: name: expected a name usable as one folder name .*got '\.\./\.\./x'"),
        ["name that is an absolute path"] = Training("name: h", "name: /tmp/escaped", @"h\.yaml:1:7: name: expected a name usable as one folder name"),
        ["name .."] = Training("name: h", "name: '..'", @"h\.yaml:1:7: name: expected a name usable as one folder name"),
        ["name hidden"] = Training("name: h", "name: .hidden", @"h\.yaml:1:7: name: expected a name usable as one folder name"),
        ["name with a backslash"] = Training("name: h", "name: 'a\\b'", @"h\.yaml:1:7: name: expected a name usable as one folder name"),
        ["name with a control character"] = Training("name: h", "name: \"a\\tb\"", @"h\.yaml:1:7: name: expected a name usable as one folder name"),
        ["name of 200 characters"] = Training("name: h", "name: " + new string('n', 200), @"h\.yaml:1:7: name: expected a name usable as one folder name \(1 to 128 characters"),
        ["federated name escaping"] = Fed("name: f", "name: ../f", @"f\.yaml:1:7: name: expected a name usable as one folder name"),
        ["sweep name escaping"] = new(ws => { ws.Write("h.yaml", Base); return ["sweep", "run", ws.Write("s.yaml", "name: ../s\nbase: h.yaml\ngrid:\n  training.iterations: [2]\n")]; }, @"s\.yaml:1:7: name: expected a name usable as one folder name"),
        // ---- more hostile numbers ----
        ["iterations written as hex"] = Training("iterations: 3", "iterations: 0x10", @"h\.yaml:5:\d+: training\.iterations: expected an integer in \[1, 100000000\], got '0x10'"),
        ["iterations with digit separators"] = Training("iterations: 3", "iterations: 1_000", @"h\.yaml:5:\d+: training\.iterations: expected an integer in \[1, 100000000\], got '1_000'"),
        ["iterations quoted"] = Training("iterations: 3", "iterations: \"3\"", @"h\.yaml:5:\d+: training\.iterations: expected an integer in \[1, 100000000\], got string ""3"""),
        ["iterations as a float"] = Training("iterations: 3", "iterations: 3.0", @"h\.yaml:5:\d+: training\.iterations: expected an integer in \[1, 100000000\], got '3\.0'"),
        ["bucket_mb infinite"] = Training("iterations: 3", "iterations: 3, bucket_mb: .inf", @"h\.yaml:5:\d+: training\.bucket_mb: expected a number in \(0, 1048576\], got '\.inf'"),
        ["bucket_mb NaN"] = Training("iterations: 3", "iterations: 3, bucket_mb: .nan", @"h\.yaml:5:\d+: training\.bucket_mb: expected a number in \(0, 1048576\], got '\.nan'"),
        ["bucket_mb that underflows to zero"] = Training("iterations: 3", "iterations: 3, bucket_mb: 1e-400", @"h\.yaml:5:\d+: training\.bucket_mb: expected a number in \(0, 1048576\], got '1e-400'"),
        ["first bucket infinite"] = Training("iterations: 3", "iterations: 3, first_bucket_mb: -.inf", @"h\.yaml:5:\d+: training\.first_bucket_mb: expected a number in \(0, 1048576\], got '-\.inf'"),
        ["slow factor negative"] = TrainingPlus("stragglers: {slow_fraction: 0.5, slow_factor: -1}\n", @"h\.yaml:7:\d+: stragglers\.slow_factor: expected a number in \[1, 1000\], got '-1'"),
        ["slow factor 1e308"] = TrainingPlus("stragglers: {slow_fraction: 0.5, slow_factor: 1e308}\n", @"h\.yaml:7:\d+: stragglers\.slow_factor: expected a number in \[1, 1000\], got '1e308'"),
        ["transient at 1e308 s"] = TrainingPlus("stragglers:\n  transients: [{start_s: 1e308, duration_s: 1, factor: 2}]\n", @"h\.yaml:8:\d+: stragglers\.transients\[0\]\.start_s: expected a number in \[0, 3200000000\], got '1e308'"),
        ["transient factor 1e308"] = TrainingPlus("stragglers:\n  transients: [{start_s: 0, duration_s: 1, factor: 1e308}]\n", @"h\.yaml:8:\d+: stragglers\.transients\[0\]\.factor: expected a number in \[1, 1000\], got '1e308'"),
        ["oversubscription 1e9"] = Training("nodes: 1}", "nodes: 1, oversubscription: 1e9}", @"h\.yaml:2:\d+: cluster\.oversubscription: expected a number in \[1, 1000\], got '1e9'"),
        ["layer overhead 1e308 us"] = TrainingPlus("compute: {layer_overhead_us: 1e308}\n", @"h\.yaml:7:\d+: compute\.layer_overhead_us: expected a number in \[0, 1000000\], got '1e308'"),
        ["flop efficiency 0"] = TrainingPlus("compute: {flop_efficiency: 0}\n", @"h\.yaml:7:\d+: compute\.flop_efficiency: expected a number in \[0\.001, 1\], got '0'"),
        ["gpt hidden 0"] = Training("{zoo: resnet50}", "{gpt: {layers: 2, hidden: 0, heads: 4, sequence: 16}}", @"h\.yaml:4:\d+: model\.gpt\.hidden: expected an integer in \[1, 1048576\], got '0'"),
        ["gpt heads negative"] = Training("{zoo: resnet50}", "{gpt: {layers: 2, hidden: 64, heads: -1, sequence: 16}}", @"h\.yaml:4:\d+: model\.gpt\.heads: expected an integer in \[1, 65536\], got '-1'"),
        ["gpt vocabulary above int"] = Training("{zoo: resnet50}", "{gpt: {layers: 2, hidden: 64, heads: 4, sequence: 16, vocabulary: 2147483648}}", @"h\.yaml:4:\d+: model\.gpt\.vocabulary: expected an integer in \[1, 16777216\], got '2147483648'"),
        ["image size 100000"] = Training("{zoo: resnet50}", "{zoo: resnet50, image_size: 100000}", @"h\.yaml:4:\d+: model\.image_size: expected an integer in \[32, 4096\], got '100000'"),
        ["sequence length above int"] = Training("{zoo: resnet50}", "{zoo: bert_large, sequence_length: 2147483648}", @"h\.yaml:4:\d+: model\.sequence_length: expected an integer in \[1, 16777216\], got '2147483648'"),
        ["replications 10001"] = TrainingPlus("replications: 10001\n", @"h\.yaml:7:\d+: replications: expected an integer in \[1, 10000\], got '10001'"),
        ["timeline spans 2e9"] = Training("report: false}", "report: false, timeline_max_spans: 2000000000}", @"h\.yaml:6:\d+: outputs\.timeline_max_spans: expected an integer in \[0, 10000000\], got '2000000000'"),
        ["checkpoint 1e308 s"] = TrainingPlus("failures: {gpu_mtbf_hours: 1000, checkpoint_s: 1e308}\n", @"h\.yaml:7:\d+: failures\.checkpoint_s: expected a number in \[0, 3200000000\], got '1e308'"),
        ["detection -inf"] = TrainingPlus("failures: {gpu_mtbf_hours: 1000, detection_s: -.inf}\n", @"h\.yaml:7:\d+: failures\.detection_s: expected a number in \[0, 3200000000\], got '-\.inf'"),
        ["MTBF shorter than recovery"] = TrainingPlus("failures: {node_mtbf_hours: 0.01}\n", @"h\.yaml:7:\d+: failures\.node_mtbf_hours: the job as a whole .* would never finish"),
        ["seed above 2^63-1"] = TrainingPlus("seed: 9223372036854775808\n", @"h\.yaml:7:\d+: seed: expected an integer >= 0, got '9223372036854775808' \(the largest value this key takes is 9223372036854775807\)"),
        ["jitter uniform below zero"] = TrainingPlus("stragglers:\n  jitter: uniform(-1, 3)\n", @"h\.yaml:8:\d+: stragglers\.jitter: a compute multiplier must never be negative"),
        ["jitter samples with a negative value"] = new(ws => { ws.Write("samples.txt", "1.0\n0.9\n-0.5\n"); return RunYaml(ws, Base + "stragglers:\n  jitter: empirical(\"samples.txt\")\n"); }, @"h\.yaml:8:\d+: stragglers\.jitter: a compute multiplier must never be negative"),
        ["jitter samples file that is binary"] = new(ws => { ws.Write("samples.txt", "1.0\n\0\0\0"); return RunYaml(ws, Base + "stragglers:\n  jitter: empirical(\"samples.txt\")\n"); }, @"h\.yaml:8:\d+: stragglers\.jitter: .*samples\.txt:2:1: a NUL character"),
        ["federated deadline 0"] = Fed("rounds: 3", "rounds: 3, deadline_s: 0", @"f\.yaml:4:\d+: federated\.deadline_s: expected a number in \(0, 3200000000\], got '0'"),
        ["federated model of 1e308 bytes"] = Fed("rounds: 3", "rounds: 3, model_bytes: 1e308", @"f\.yaml:4:\d+: federated\.model_bytes: expected a number in \(0, 10000000000000\], got '1e308'"),
        ["federated over-commit 1e308"] = Fed("rounds: 3", "rounds: 3, over_commit: 1e308", @"f\.yaml:4:\d+: federated\.over_commit: expected a number in \[0, 100\], got '1e308'"),
        ["federated max time NaN"] = Fed("rounds: 3", "rounds: 3, max_time_s: .nan", @"f\.yaml:4:\d+: federated\.max_time_s: expected a number in \(0, 3200000000\], got '\.nan'"),
        ["federated local epochs 2^40"] = Fed("rounds: 3", "rounds: 3, local_epochs: 1099511627776", @"f\.yaml:4:\d+: federated\.local_epochs: expected an integer in \[1, 10000\], got '1099511627776'"),
        ["federated retry every 1e-300 s (clock cannot advance)"] = Fed("rounds: 3", "rounds: 3, retry_interval_s: 1e-300", @"f\.yaml:4:\d+: federated\.retry_interval_s: expected a number in \[0\.001, 3200000000\], got '1e-300'"),
        ["checkpoint every 1e-300 s (clock cannot advance)"] = TrainingPlus("failures: {gpu_mtbf_hours: 1000, checkpoint_interval_s: 1e-300}\n", @"h\.yaml:7:\d+: failures\.checkpoint_interval_s: expected a number in \[0\.001, 3200000000\], got '1e-300'"),
        ["federated zero clients"] = Fed("clients: 200", "clients: 0", @"f\.yaml:3:\d+: population\.synthetic\.clients: expected an integer in \[1, 100000000\], got '0'"),
        ["federated time-zone spread 1e308 h"] = Fed("clients: 200", "clients: 200, timezone_spread_hours: 1e308", @"f\.yaml:3:\d+: population\.synthetic\.timezone_spread_hours: expected a number in \[0, 24\], got '1e308'"),
        ["calibration measurements with 1e308 FLOPs"] = new(ws => CalibrationDir(ws, "\"flops\": ", "1e308"), @"measurements\.json: line \d+, column \d+, \$\.ops\[0\]\.flops: expected a number of at most 1E\+18 in size, got 1E\+308"),
        ["calibration measurements with cores above int"] = new(ws => CalibrationDir(ws, "\"cores\": ", "4294967298"), @"measurements\.json: line \d+, column \d+, \$\.hardware\.cores: expected an integer <= 2147483647, got 4294967298"),
        // ---- malformed files ----
        ["scenario that is binary"] = new(ws => RunYaml(ws, "name: h\n\0\0\u0001\u0002"), @"h\.yaml:\d+:\d+: "),
        ["scenario larger than the cap"] = new(ws => { string p = ws.Path_("big.yaml"); using (var f = File.Create(p)) f.SetLength(5 << 20); return ["run", p, "--out", ws.OldResults]; }, @"big\.yaml:1:1: expected a file of at most 4194304 bytes"),
        ["scenario of invalid UTF-8"] = new(ws => { string p = ws.Path_("bad.yaml"); File.WriteAllBytes(p, [0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a]); return ["run", p, "--out", ws.OldResults]; }, @"bad\.yaml:\d+:\d+: "),
        ["scenario of one alias bomb"] = new(ws => RunYaml(ws, "a: &a [x, x]\nb: [*a, *a]\n"), @"h\.yaml:2:\d+: aliases \(\*a\) are not supported"),
        ["truncated scenario"] = new(ws => RunYaml(ws, Base[..70]), @"h\.yaml:\d+:\d+: "),
        ["scenario with a tab indent"] = new(ws => RunYaml(ws, Base.Replace("training: {", "training:\n\t{")), @"h\.yaml:\d+:\d+: "),
    };
}
