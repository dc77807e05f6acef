using Sim.Scenarios.Schema;
using Sim.Scenarios.Tests.Fixtures;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

public sealed class ScenarioDocumentTests
{
    [Fact]
    public void Typed_accessors_read_values_and_fall_back_to_schema_defaults()
    {
        var doc = ScenarioDocument.Parse(DemoSchema.Valid, "demo.yaml", DemoSchema.Schema);
        Assert.Equal("demo", doc.GetString("name"));
        Assert.Equal(0.5, doc.GetDouble("queue.arrival_rate"));
        Assert.Equal(1.0, doc.GetDouble("queue.service_rate"));
        Assert.Equal("fifo", doc.GetString("queue.discipline"));        // default
        Assert.Equal(2000, doc.GetInt("customers"));                    // default
        Assert.False(doc.Has("customers"));
        Assert.True(doc.Has("jitter"));
        Assert.Equal("lognormal(0, 0.25)", doc.GetString("jitter"));    // kept as text for the kernel's parser
        var workers = doc.Section.GetSections("workers");
        Assert.Equal(["a", "b"], workers.Select(w => w.GetString("name")));
        Assert.Equal(0.25, workers[1].GetDouble("speed"));
        Assert.Equal("workers[1]", workers[1].Path);
        Assert.Equal(0.25, doc.GetDouble("workers[1].speed"));
    }

    [Fact]
    public void Every_value_remembers_its_line_and_column()
    {
        var doc = ScenarioDocument.Parse(DemoSchema.Valid, "demo.yaml", DemoSchema.Schema);
        Assert.Equal(new SourceLocation("demo.yaml", 4, 17), doc.Section.LocationOf("queue.service_rate"));
        Assert.Equal(new SourceLocation("demo.yaml", 9, 12), doc.Section.LocationOf("workers[1].speed"));
        var error = doc.Section.GetSection("queue").ErrorAt("service_rate", "expected more than arrival_rate");
        Assert.Equal("demo.yaml:4:17: queue.service_rate: expected more than arrival_rate", error.ToString());
    }

    [Fact]
    public void Asking_for_an_undeclared_key_is_a_programming_error()
    {
        var doc = ScenarioDocument.Parse(DemoSchema.Valid, "demo.yaml", DemoSchema.Schema);
        Assert.Throws<InvalidOperationException>(() => doc.GetDouble("queue.arival_rate"));
        Assert.Throws<InvalidOperationException>(() => doc.GetDouble("queue"));
    }

    [Fact]
    public void Overrides_edit_a_copy_and_keep_the_blamed_location()
    {
        var tree = YamlTreeReader.Parse(DemoSchema.Valid, "demo.yaml");
        var value = new YamlScalar("0.75", false, new SourceLocation("sweep.yaml", 7, 3));
        var errors = new List<ScenarioError>();
        var edited = TreeEditor.Set(tree, KeyPath.Parse("queue.arrival_rate"), value, value.Location, errors);
        var created = TreeEditor.Set(edited, KeyPath.Parse("workers[0].speed"), value, value.Location, errors);
        Assert.Empty(errors);
        var doc = ScenarioDocument.FromTree(created, DemoSchema.Schema);
        Assert.Equal(0.75, doc.GetDouble("queue.arrival_rate"));
        Assert.Equal(0.75, doc.GetDouble("workers[0].speed"));
        Assert.Equal(new SourceLocation("sweep.yaml", 7, 3), doc.Section.LocationOf("queue.arrival_rate"));
        Assert.Equal(0.5, ScenarioDocument.FromTree(tree, DemoSchema.Schema).GetDouble("queue.arrival_rate")); // original untouched

        TreeEditor.Set(tree, KeyPath.Parse("workers[5].speed"), value, value.Location, errors);
        Assert.Equal("sweep.yaml:7:3: workers[5]: cannot override: expected an existing list item [5], got a list of 2 items", Assert.Single(errors).ToString());
    }

    [Theory]
    [InlineData("a", "a")]
    [InlineData("a.b[2].c", "a.b[2].c")]
    [InlineData("a[0][1]", "a[0][1]")]
    public void Key_paths_round_trip(string text, string expected) => Assert.Equal(expected, KeyPath.Parse(text).ToString());

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("a[x]")]
    [InlineData("a[1")]
    [InlineData("a]")]
    [InlineData(".a")]
    public void Malformed_key_paths_are_refused(string text) => Assert.Null(KeyPath.TryParse(text, out _));

    [Theory]
    [InlineData("arival_rate", "arrival_rate")]
    [InlineData("sevrice_rate", "service_rate")]
    [InlineData("Discipline", "discipline")]
    [InlineData("colour", null)]
    public void Suggestions_offer_only_plausible_typos(string typed, string? expected) =>
        Assert.Equal(expected, Suggestions.Closest(typed, ["arrival_rate", "service_rate", "discipline"]));

    [Fact]
    public void Generated_documentation_lists_every_key_with_its_constraints_and_default()
    {
        string markdown = SchemaMarkdown.Write(DemoSchema.Schema, "Demo scenario", "A queue.");
        Assert.Contains("| `queue.arrival_rate` | a number > 0 | yes |  | Customers per second (lambda). |", markdown);
        Assert.Contains("| `queue.discipline` | one of fifo, lifo, priority | no | `fifo` | Queue order. |", markdown);
        Assert.Contains("| `workers[].speed` | a number in [0, 1] | yes |  | Relative speed in [0, 1]. |", markdown);
        Assert.Contains("| `customers` | an integer in [1, 1000000] | no | `2000` |", markdown);
        int rows = markdown.Split('\n').Count(l => l.StartsWith("| `", StringComparison.Ordinal));
        Assert.Equal(13, rows); // 8 top-level + 3 queue + 2 worker keys
    }

    [Fact]
    public void Empirical_sample_files_resolve_next_to_the_yaml_file_not_the_working_directory()
    {
        using var folder = new TempFolder();
        folder.File("samples.txt", "0.98\n1.01\n1.2\n");
        var schema = Schemas.Map(Field.Req("slowdown", Schemas.Distribution(), "Per-step slowdown."));
        string good = folder.File("good.yaml", "slowdown: empirical(\"samples.txt\")\n");
        Assert.Equal("empirical(\"samples.txt\")", ScenarioDocument.Load(good, schema).GetString("slowdown"));
        string bad = folder.File("bad.yaml", "slowdown: empirical(\"missing.txt\")\n");
        var error = Assert.Throws<ScenarioException>(() => ScenarioDocument.Load(bad, schema));
        Assert.StartsWith($"{bad}:1:11: slowdown: expected a distribution", error.Message);
        Assert.Contains("not found", error.Message);
    }

    [Fact]
    public void Schema_declarations_with_invalid_defaults_fail_at_once()
    {
        var e = Assert.Throws<ArgumentException>(() => Schemas.Map(Field.Opt("p", Schemas.Fraction(), "probability", "1.5")));
        Assert.Contains("'1.5' for 'p' is not a number in [0, 1]", e.Message);
    }
}
