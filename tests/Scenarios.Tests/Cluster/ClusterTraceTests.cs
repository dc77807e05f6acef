using Sim.Scenarios.Cluster;
using Sim.Scenarios.Tests.Fixtures;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests.Cluster;

/// <summary>The three trace formats: values read as their documentation says; bad rows located.</summary>
public sealed class ClusterTraceTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void HeliosReadsJobsByColumnNameAndSkipsCpuJobs()
    {
        string path = _tmp.File("cluster_log.csv", """
            job_id,user,vc,jobname,gpu_num,cpu_num,node_num,state,submit_time,start_time,end_time,duration,queue
            a,u1,vc1,j1,8,16,1,COMPLETED,2020-04-01 00:00:10,2020-04-01 00:00:20,2020-04-01 01:00:20,3600,10
            b,u1,vc1,j2,0,4,1,COMPLETED,2020-04-01 00:00:30,2020-04-01 00:00:30,2020-04-01 00:10:30,600,0
            c,u2,vc2,j3,2,8,1,FAILED,2020-04-01 00:01:10,2020-04-01 00:01:10,2020-04-01 00:02:10,60,0
            """);
        var jobs = ClusterTraces.Read("helios", path);
        Assert.Equal(2, jobs.Count);
        Assert.Equal(("a", 0.0, 8, 3600.0), (jobs[0].Name, jobs[0].Arrival, jobs[0].Gpus, jobs[0].Work));
        Assert.Equal(("c", 60.0, 2, 60.0), (jobs[1].Name, jobs[1].Arrival, jobs[1].Gpus, jobs[1].Work));
    }

    [Fact]
    public void HeliosBadValuesAreLocatedByLineAndColumn()
    {
        string path = _tmp.File("bad.csv", """
            job_id,gpu_num,submit_time,duration
            a,8,2020-04-01 00:00:10,3600
            b,eight,2020-04-01 00:00:10,3600
            c,1,yesterday,3600
            """);
        var e = Assert.Throws<ScenarioException>(() => ClusterTraces.Read("helios", path));
        Assert.Contains("bad.csv:3:3: gpu_num: expected a GPU count", e.Message);
        Assert.Contains("bad.csv:4:5: submit_time", e.Message);
        string missing = _tmp.File("nohdr.csv", "a,8\n");
        Assert.Contains("missing column 'submit_time'", Assert.Throws<ScenarioException>(() => ClusterTraces.Read("helios", missing)).Message);
    }

    [Fact]
    public void AlibabaPaiAggregatesTasksIntoJobs()
    {
        // Job j1: a PS task without GPU and 4 workers at 50% of a GPU each -> 2 GPUs, 100 s to 700 s.
        string path = _tmp.File("pai_task_table.csv", """
            j1,ps,1,Terminated,100,650,600,29.3,,
            j1,worker,4,Terminated,120,700,600,29.3,50,V100
            j2,tensorflow,1,Terminated,50,80,600,29.3,100,T4
            j3,worker,1,Waiting,,,600,29.3,100,MISC
            """);
        var jobs = ClusterTraces.Read("alibaba-pai", path);
        Assert.Equal(2, jobs.Count);
        Assert.Equal(("j2", 0.0, 1, 30.0, "T4"), (jobs[0].Name, jobs[0].Arrival, jobs[0].Gpus, jobs[0].Work, jobs[0].GpuType));
        Assert.Equal(("j1", 50.0, 2, 600.0, "V100"), (jobs[1].Name, jobs[1].Arrival, jobs[1].Gpus, jobs[1].Work, jobs[1].GpuType));
    }

    [Fact]
    public void AlibabaPaiBadRowsAreLocated()
    {
        string path = _tmp.File("pai.csv", "j1,worker,1,Terminated,100,200,600,29.3,100,V100\nj2,worker,1,Terminated,abc,200,600,29.3,100,V100\nj3,worker,1\n");
        var e = Assert.Throws<ScenarioException>(() => ClusterTraces.Read("alibaba-pai", path));
        Assert.Contains("pai.csv:2:24: start_time: expected a number", e.Message);
        Assert.Contains("pai.csv:3:1: row: expected 10 fields", e.Message);
    }

    [Fact]
    public void PhillySumsAttemptsAndCountsFirstAttemptGpus()
    {
        string path = _tmp.File("cluster_job_log", """
            [
              {"status": "Pass", "vc": "v", "jobid": "application_1", "submitted_time": "2017-10-03 00:00:00", "user": "u",
               "attempts": [{"start_time": "2017-10-03 00:01:00", "end_time": "2017-10-03 00:11:00",
                             "detail": [{"ip": "m1", "gpus": ["gpu0", "gpu1"]}, {"ip": "m2", "gpus": ["gpu0", "gpu1"]}]},
                            {"start_time": "2017-10-03 01:00:00", "end_time": "2017-10-03 01:05:00", "detail": []}]},
              {"status": "Killed", "vc": "v", "jobid": "application_2", "submitted_time": "2017-10-03 00:00:30", "user": "u",
               "attempts": []}
            ]
            """);
        var jobs = ClusterTraces.Read("philly", path);
        var j = Assert.Single(jobs);
        Assert.Equal(("application_1", 0.0, 4, 900.0), (j.Name, j.Arrival, j.Gpus, j.Work));
    }

    [Fact]
    public void PhillyBadValuesAndBrokenJsonAreLocated()
    {
        string path = _tmp.File("bad.json", "[\n {\"jobid\": \"a\", \"submitted_time\": \"soon\", \"attempts\": []}\n]\n");
        var e = Assert.Throws<ScenarioException>(() => ClusterTraces.Read("philly", path));
        Assert.Contains("bad.json:2:35: [0].submitted_time: expected a timestamp", e.Message);
        string broken = _tmp.File("broken.json", "[\n {\"jobid\": \"a\",\n  \"submitted_time\" \"x\"}\n]\n");
        e = Assert.Throws<ScenarioException>(() => ClusterTraces.Read("philly", broken));
        Assert.Contains("broken.json:3:", e.Message);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void ScenarioReportsTraceErrorsAndMissingFiles()
    {
        _tmp.File("t.csv", "job_id,gpu_num,submit_time,duration\na,x,0,1\n");
        string yaml = """
            name: t
            cluster: {nodes: 1, gpus_per_node: 8}
            jobs: {trace: {format: helios, path: t.csv}}
            scheduler: {policy: fifo}
            """;
        string file = _tmp.File("t.yaml", yaml);
        var e = Assert.Throws<ScenarioException>(() => ClusterScenario.Load(file));
        Assert.Contains("t.csv:2:3: gpu_num", e.Message);
        file = _tmp.File("u.yaml", yaml.Replace("t.csv", "nope.csv"));
        e = Assert.Throws<ScenarioException>(() => ClusterScenario.Load(file));
        Assert.Contains("u.yaml:3:", e.Message);
        Assert.Contains("file not found", e.Message);
    }

    [Fact]
    public void ShippedSamplesAreTheOwnersExamplesReadAsDocumented()
    {
        string dir = Path.Combine(RepositoryPaths.Root(), "traces", "cluster");
        var helios = ClusterTraces.Read("helios", Path.Combine(dir, "helios-venus-example.csv"));
        Assert.Equal([36848.0, 249, 675233], helios.Select(j => j.Work));
        Assert.Equal([0.0, 26, 27], helios.Select(j => j.Arrival));
        var philly = Assert.Single(ClusterTraces.Read("philly", Path.Combine(dir, "philly-example.json")));
        // Two attempts: 74 s and 2 days 5 h 39 min 42 s; eight GPUs on one server.
        Assert.Equal((8, 74 + 2 * 86_400 + 5 * 3600 + 39 * 60 + 42.0), (philly.Gpus, philly.Work));
        var pai = ClusterTraces.Read("alibaba-pai", Path.Combine(dir, "pai-format-example.csv"));
        Assert.Equal([("synthetic-job-a", 4), ("synthetic-job-b", 1), ("synthetic-job-c", 2)], pai.Select(j => (j.Name!, j.Gpus)));
    }

    [Fact]
    public void PhillyAttemptsWithNoneTimesAreNotCounted()
    {
        string path = _tmp.File("none.json", """
            [{"jobid": "a", "submitted_time": "2017-10-03 00:00:00", "attempts": [
              {"start_time": "2017-10-03 00:01:00", "end_time": "None", "detail": [{"ip": "m1", "gpus": ["gpu0"]}]},
              {"start_time": "2017-10-03 00:02:00", "end_time": "2017-10-03 00:03:00", "detail": []}]}]
            """);
        Assert.Equal(60.0, Assert.Single(ClusterTraces.Read("philly", path)).Work);
    }
}
