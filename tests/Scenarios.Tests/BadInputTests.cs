using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Tests.Fixtures;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>
/// Malformed scenario and sweep files, each with the exact diagnostic it must produce (file, line,
/// column, key path, what was expected and what was found), and proof that nothing was written.
/// </summary>
public sealed class BadInputTests
{
    private const string Queue = "queue:\n  arrival_rate: 0.5\n  service_rate: 1\n";

    /// <summary>Case name, scenario text (or null), sweep text (or null: a sweep over the scenario), expected diagnostic.</summary>
    public static TheoryData<string, string?, string?, string> Cases => new()
    {
        { "unknown key with suggestion", "name: x\nqueue:\n  arival_rate: 0.5\n  service_rate: 1\n", null,
            "scenario.yaml:3:3: queue.arival_rate: unknown key 'arival_rate' (did you mean 'arrival_rate'?); expected one of: arrival_rate, service_rate, discipline" },
        { "unknown top-level key", "name: x\n" + Queue + "wokers: []\n", null,
            "scenario.yaml:5:1: wokers: unknown key 'wokers' (did you mean 'workers'?); expected one of: name, seed, queue, workers, jitter, customers, work_ms, fail" },
        { "wrong type: text for a number", "name: x\nqueue:\n  arrival_rate: 0.5\n  service_rate: fast\n", null,
            "scenario.yaml:4:17: queue.service_rate: expected a number > 0, got 'fast'" },
        { "negative rate", "name: x\nqueue:\n  arrival_rate: -0.5\n  service_rate: 1\n", null,
            "scenario.yaml:3:17: queue.arrival_rate: expected a number > 0, got '-0.5'" },
        { "zero where > 0 is required", "name: x\nqueue:\n  arrival_rate: 0\n  service_rate: 1\n", null,
            "scenario.yaml:3:17: queue.arrival_rate: expected a number > 0, got '0'" },
        { "fraction above 1 in a list item", "name: x\n" + Queue + "workers:\n  - name: a\n    speed: 1\n  - name: b\n    speed: 1.5\n", null,
            "scenario.yaml:9:12: workers[1].speed: expected a number in [0, 1], got '1.5'" },
        { "bad enum with suggestion", "name: x\n" + Queue + "  discipline: fifoo\n", null,
            "scenario.yaml:5:15: queue.discipline: expected one of fifo, lifo, priority, got 'fifoo' (did you mean 'fifo'?)" },
        { "missing required key", "name: x\nqueue:\n  arrival_rate: 0.5\n", null,
            "scenario.yaml:3:3: queue.service_rate: missing required key; expected a number > 0" },
        { "empty value for a required number", "name: x\nqueue:\n  arrival_rate:\n  service_rate: 1\n", null,
            "scenario.yaml:3:16: queue.arrival_rate: expected a number > 0, got nothing (empty value)" },
        { "bad YAML syntax: unclosed flow list", "name: x\nworkers: [a, b\n" + Queue, null,
            "scenario.yaml:2:12: invalid YAML: unbalanced brackets, quotes or indentation after this point" },
        { "bad YAML syntax: unterminated quote", "name: \"x\n" + Queue, null,
            "scenario.yaml:1:7: invalid YAML: While scanning a multi-line double-quoted scalar, found wrong indentation." },
        { "bad YAML syntax: bad indentation", "name: x\nqueue:\n  arrival_rate: 0.5\n service_rate: 1\n", null,
            "scenario.yaml:4:2: invalid YAML: While parsing a block mapping, did not find expected key." },
        { "duplicate key", "name: x\n" + Queue + "name: y\n", null,
            "scenario.yaml:5:1: duplicate key 'name' (first defined at line 1)" },
        { "empty file", "", null, "scenario.yaml:1:1: expected a YAML mapping, got an empty file" },
        { "top level is a list", "- name: x\n", null, "scenario.yaml:1:1: expected a mapping, got a list of 1 item" },
        { "distribution with a non-numeric argument", "name: x\n" + Queue + "jitter: lognormal(0, x)\n", null,
            "scenario.yaml:5:9: jitter: expected a distribution (lognormal, exponential, normal, constant) or a constant, got 'lognormal(0, x)' (expected a number, got 'x' (in \"lognormal(0, x)\" at column 14))" },
        { "distribution placeholder left in", "name: x\n" + Queue + "jitter: <distribution>\n", null,
            "scenario.yaml:5:9: jitter: expected a distribution (lognormal, exponential, normal, constant) or a constant, got '<distribution>' (expected a distribution such as exponential(1.5) or lognormal(0, 0.25), got '<' (in \"<distribution>\" at column 1))" },
        { "unknown distribution family", "name: x\n" + Queue + "jitter: weibul(1, 2)\n", null,
            "scenario.yaml:5:9: jitter: expected a distribution (lognormal, exponential, normal, constant) or a constant, got 'weibul(1, 2)' (unknown distribution 'weibul'; expected one of: deterministic(value), exponential(rate), uniform(lower, upper), normal(mean, stddev), lognormal(mu, sigma), gamma(shape, scale), weibull(shape, scale), pareto(scale, shape), empirical(x1, x2, ...) or empirical(\"file\"), mixture(w1 * dist1, w2 * dist2, ...) (in \"weibul(1, 2)\" at column 1))" },
        { "distribution with an invalid parameter", "name: x\n" + Queue + "jitter: exponential(-2)\n", null,
            "scenario.yaml:5:9: jitter: expected a distribution (lognormal, exponential, normal, constant) or a constant, got 'exponential(-2)' (exponential(rate): rate must be > 0, got -2 (in \"exponential(-2)\" at column 1))" },
        { "distribution family not allowed here", "name: x\n" + Queue + "jitter: pareto(1, 2)\n", null,
            "scenario.yaml:5:9: jitter: expected a distribution (lognormal, exponential, normal, constant) or a constant, got 'pareto(1, 2)' (family 'pareto' is not allowed here)" },
        { "YAML 1.1 boolean word", "name: x\n" + Queue + "fail: yes\n", null,
            "scenario.yaml:5:7: fail: expected true or false, got 'yes'" },
        { "quoted number", "name: x\nqueue:\n  arrival_rate: \"0.5\"\n  service_rate: 1\n", null,
            "scenario.yaml:3:17: queue.arrival_rate: expected a number > 0, got string \"0.5\"" },
        { "fractional integer", "name: x\n" + Queue + "customers: 2.5\n", null,
            "scenario.yaml:5:12: customers: expected an integer in [1, 1000000], got '2.5'" },
        { "scalar where a list is expected", "name: x\n" + Queue + "workers: fast\n", null,
            "scenario.yaml:5:10: workers: expected a list of at least 1 item, got 'fast'" },
        { "list where a mapping is expected", "name: x\nqueue: [1, 2]\n", null,
            "scenario.yaml:2:8: queue: expected a mapping, got a list of 2 items" },
        { "alias (billion-laughs guard)", "name: &n x\nqueue:\n  arrival_rate: 0.5\n  service_rate: 1\nseed: *n\n", null,
            "scenario.yaml:5:7: aliases (*n) are not supported; write the value out" },
        { "two documents", "name: x\n" + Queue + "---\nname: y\n", null,
            "scenario.yaml:5:1: expected a single YAML document, got a second one ('---')" },
        { "sweep: unknown key with suggestion", null, "base: scenario.yaml\ngird:\n  queue.arrival_rate: [0.5]\n",
            "sweep.yaml:2:1: gird: unknown key 'gird' (did you mean 'grid'?); expected one of: name, base, scenario, grid, list, replications, seed" },
        { "sweep: grid value is not a list", null, "base: scenario.yaml\ngrid:\n  queue.arrival_rate: 0.5\n",
            "sweep.yaml:3:23: grid.queue.arrival_rate: expected a list of at least 1 item, got '0.5'" },
        { "sweep: empty grid list", null, "base: scenario.yaml\ngrid:\n  queue.arrival_rate: []\n",
            "sweep.yaml:3:23: grid.queue.arrival_rate: expected a list of at least 1 item, got a list of 0 items" },
        { "sweep: malformed key path", null, "base: scenario.yaml\ngrid:\n  queue..arrival_rate: [0.5]\n",
            "sweep.yaml:3:3: grid.queue..arrival_rate: expected a key path like 'a.b[2].c', got 'queue..arrival_rate'" },
        { "sweep: override of an unknown scenario key", null, "base: scenario.yaml\ngrid:\n  queue.arival_rate: [0.5]\n",
            "sweep.yaml:3:23: queue.arival_rate: unknown key 'arival_rate' (did you mean 'arrival_rate'?); expected one of: arrival_rate, service_rate, discipline" },
        { "sweep: invalid grid value is blamed on the sweep file", null, "base: scenario.yaml\ngrid:\n  queue.arrival_rate: [0.5, -1]\n",
            "sweep.yaml:3:29: queue.arrival_rate: expected a number > 0, got '-1'" },
        { "sweep: both base and inline scenario", null, "base: scenario.yaml\nscenario: {name: x}\n",
            "sweep.yaml:1:1: base: expected either base or scenario, got both" },
        { "sweep: neither base nor scenario", null, "grid:\n  queue.arrival_rate: [0.5]\n",
            "sweep.yaml:1:1: base: expected base (a scenario file) or scenario (an inline scenario), got neither" },
        { "sweep: base file missing", null, "base: missing.yaml\n",
            "sweep.yaml:1:7: base: expected an existing scenario file, got 'missing.yaml' (looked for missing.yaml)" },
        { "sweep: zero replications", null, "base: scenario.yaml\nreplications: 0\n",
            "sweep.yaml:2:15: replications: expected an integer in [1, 100000], got '0'" },
        { "sweep: repeated point in list", null, "base: scenario.yaml\nlist:\n  - {queue.arrival_rate: 0.25}\n  - {queue.arrival_rate: 0.25}\n",
            "sweep.yaml:4:26: list: expected distinct points, got a repeat of the point first defined at line 3 (queue.arrival_rate=0.25)" },
        { "sweep: override below a scalar", null, "base: scenario.yaml\ngrid:\n  name.first: [a]\n",
            "sweep.yaml:3:16: name.first: cannot override: expected a mapping above 'first', got 'x'" },
        { "sweep: grid too large", null, "base: scenario.yaml\nreplications: 100000\ngrid:\n  customers: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n",
            "sweep.yaml:4:3: grid: expected at most 1000000 runs in one sweep, got 1100000 (points x replications)" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rejects_with_location_key_path_and_expectation_and_writes_nothing(string name, string? scenario, string? sweep, string expected)
    {
        using var folder = new TempFolder();
        folder.File("scenario.yaml", scenario ?? "name: x\n" + Queue);
        string sweepPath = folder.File("sweep.yaml", sweep ?? "base: scenario.yaml\n");
        var before = folder.ListFiles();
        string outDir = folder.Combine("out");

        var error = Assert.Throws<ScenarioException>(() =>
        {
            var plan = SweepPlan.Create(SweepSpec.Load(sweepPath), DemoSchema.Schema);
            new SweepRunner(new MM1Evaluator()).Run(plan, outDir, ShardSpec.All, jobs: 1);
        });

        var messages = error.Errors.Select(e => e.ToString().Replace(folder.Path + Path.DirectorySeparatorChar, "")).ToList();
        Assert.True(messages.Contains(expected), $"{name}: expected{Environment.NewLine}  {expected}{Environment.NewLine}got{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", messages)}");
        Assert.Equal(before, folder.ListFiles());
    }

    [Fact]
    public void Lists_every_problem_in_one_report()
    {
        using var folder = new TempFolder();
        string path = folder.File("scenario.yaml", "name: x\nqueue:\n  arrival_rate: -1\n  service_rate: fast\n  discipline: lifoo\ncolour: red\n");
        var error = Assert.Throws<ScenarioException>(() => ScenarioDocument.Load(path, DemoSchema.Schema));
        Assert.Equal(4, error.Errors.Count);
        Assert.Equal(["queue.arrival_rate", "queue.service_rate", "queue.discipline", "colour"], error.Errors.Select(e => e.Path));
        Assert.Equal([3, 4, 5, 6], error.Errors.Select(e => e.Location.Line));
        Assert.StartsWith("4 problems:", error.Message);
    }

    [Fact]
    public void A_bad_grid_value_is_reported_once_not_once_per_point()
    {
        var spec = SweepSpec.Parse("scenario:\n  name: x\n  queue: {arrival_rate: 1, service_rate: 2}\ngrid:\n  queue.arrival_rate: [-1]\n  customers: [1, 2, 3]\n", "s.yaml");
        var error = Assert.Throws<ScenarioException>(() => SweepPlan.Create(spec, DemoSchema.Schema));
        Assert.Single(error.Errors);
        Assert.Equal("s.yaml:5:24: queue.arrival_rate: expected a number > 0, got '-1'", error.Errors[0].ToString());
    }

    [Theory]
    [InlineData("1/0", "expected a shard i/n with 0 <= i < n and n >= 1, got '1/0'")]
    [InlineData("4/4", "expected a shard i/n with 0 <= i < n and n >= 1, got '4/4'")]
    [InlineData("a/b", "expected a shard as i/n with whole numbers 0 <= i < n (for example 0/4), got 'a/b'")]
    [InlineData("-1/4", "expected a shard as i/n with whole numbers 0 <= i < n (for example 0/4), got '-1/4'")]
    [InlineData("2", "expected a shard as i/n with whole numbers 0 <= i < n (for example 0/4), got '2'")]
    [InlineData("1/2/3", "expected a shard as i/n with whole numbers 0 <= i < n (for example 0/4), got '1/2/3'")]
    public void Rejects_bad_shard_specs(string text, string expected)
    {
        Assert.Null(ShardSpec.TryParse(text, out var problem));
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void Refuses_oversized_files_before_reading_them()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("huge.yaml");
        using (var stream = File.Create(path)) stream.SetLength(YamlTreeReader.MaxFileBytes + 1);
        var error = Assert.Throws<ScenarioException>(() => ScenarioDocument.Load(path, DemoSchema.Schema));
        Assert.Contains($"expected a file of at most {YamlTreeReader.MaxFileBytes} bytes", error.Message);
    }

    [Fact]
    public void Refuses_absurd_nesting()
    {
        string deep = new string('[', 200) + new string(']', 200);
        var error = Assert.Throws<ScenarioException>(() => ScenarioDocument.Parse("name: " + deep, "deep.yaml", DemoSchema.Schema));
        Assert.Contains($"expected nesting of at most {YamlTreeReader.MaxDepth} levels", error.Message);
    }
}
