using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sim.Scenarios.Sweeps;

namespace Sim.Cli.Tests;

/// <summary>
/// A real one-node Slurm cluster started by hand for a test, like a pop-up kitchen: munged (reused
/// if one is already serving), slurmctld and slurmd with a private config, state and free ports in a
/// temporary folder, stopped again by their process ids when the test ends.
/// </summary>
public sealed class LocalSlurmCluster : IDisposable
{
    private static readonly string[] Tools = ["sbatch", "squeue", "sinfo", "slurmctld", "slurmd", "munged", "munge"];
    private readonly List<Process> _daemons = [];
    private readonly string _directory;

    public IReadOnlyDictionary<string, string> Environment { get; }
    public string ConfigPath { get; }

    public static bool UnderCi => string.Equals(System.Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public static bool Installed => Tools.All(t => Which(t) is not null);

    /// <summary>Why the cluster cannot be had here, or null when it can (possibly after installing it as root).</summary>
    public static string? WhyUnavailable() =>
        Installed ? null
        : !System.Environment.IsPrivilegedProcess ? "slurm-wlm and munge are not installed and this is not root (apt-get install -y slurm-wlm munge)"
        : Which("apt-get") is null ? "slurm-wlm and munge are not installed and apt-get is not available"
        : null;

    public LocalSlurmCluster(string directory)
    {
        _directory = directory;
        if (!Installed) Install();
        Directory.CreateDirectory(Path.Combine(directory, "state"));
        Directory.CreateDirectory(Path.Combine(directory, "spool"));
        ConfigPath = Path.Combine(directory, "slurm.conf");
        File.WriteAllText(ConfigPath, Config(directory, FreePort(), FreePort()));
        Environment = new Dictionary<string, string> { ["SLURM_CONF"] = ConfigPath };
        try
        {
            EnsureMunge();
            _daemons.Add(StartDaemon("slurmctld", "-D", "-f", ConfigPath));
            WaitFor(() => Run("sinfo", "--noheader", "--format=%T").ExitCode == 0, "slurmctld to answer");
            _daemons.Add(StartDaemon("slurmd", "-D", "-N", "localhost", "-f", ConfigPath));
            WaitFor(() => Run("sinfo", "--noheader", "--format=%T").Output.Trim() == "idle", "the node to become idle");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public ExternalProcess.Result Run(string program, params string[] args) =>
        ExternalProcess.Run(program, args, Environment, TimeSpan.FromSeconds(30));

    public string Logs() => string.Join("\n", new[] { "slurmctld.log", "slurmd.log" }.Select(f => Path.Combine(_directory, f))
        .Where(File.Exists).Select(f => $"--- {f}\n{string.Join("\n", File.ReadLines(f).TakeLast(30))}"));

    public void Dispose()
    {
        // Stop in reverse order of starting, each by its own process id.
        for (int i = _daemons.Count - 1; i >= 0; i--)
        {
            var daemon = _daemons[i];
            if (!daemon.HasExited)
            {
                ExternalProcess.Run("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                if (!daemon.WaitForExit(TimeSpan.FromSeconds(10))) daemon.Kill(entireProcessTree: true);
            }
            daemon.Dispose();
        }
        _daemons.Clear();
    }

    private void EnsureMunge()
    {
        if (ExternalProcess.Run("munge", ["-n"]).ExitCode == 0) return; // a munged already serves this machine
        Directory.CreateDirectory("/run/munge");
        ExternalProcess.Run("chown", ["munge:munge", "/run/munge"]);
        _daemons.Add(StartDaemon("runuser", "-u", "munge", "--", Which("munged") ?? "/usr/sbin/munged", "--foreground"));
        WaitFor(() => ExternalProcess.Run("munge", ["-n"]).ExitCode == 0, "munged to accept credentials");
    }

    private Process StartDaemon(string program, params string[] args)
    {
        var start = new ProcessStartInfo(Which(program) ?? program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["SLURM_CONF"] = ConfigPath;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void WaitFor(Func<bool> ready, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!ready())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}\n{Logs()}");
            if (_daemons.FirstOrDefault(d => d.HasExited) is { } dead)
                throw new InvalidOperationException($"a daemon exited with {dead.ExitCode} while waiting for {what}\n{Logs()}");
            Thread.Sleep(200);
        }
    }

    private static void Install()
    {
        var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
        var limit = TimeSpan.FromMinutes(5);
        if (ExternalProcess.Run("apt-get", ["install", "-y", "-qq", "slurm-wlm", "munge"], env, limit).ExitCode != 0)
        {
            ExternalProcess.Run("apt-get", ["update", "-qq"], env, limit);
            var result = ExternalProcess.Run("apt-get", ["install", "-y", "-qq", "slurm-wlm", "munge"], env, limit);
            if (result.ExitCode != 0) throw new InvalidOperationException($"apt-get install slurm-wlm munge failed: {result.Error}");
        }
    }

    private static string? Which(string tool) =>
        new[] { "/usr/bin", "/usr/sbin", "/bin", "/sbin", "/usr/local/bin" }.Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Config(string dir, int controllerPort, int nodePort) => $"""
        ClusterName=simtest
        SlurmctldHost=localhost
        SlurmctldPort={controllerPort}
        SlurmdPort={nodePort}
        SlurmUser=root
        SlurmdUser=root
        AuthType=auth/munge
        CredType=cred/munge
        MpiDefault=none
        ProctrackType=proctrack/linuxproc
        TaskPlugin=task/none
        JobAcctGatherType=jobacct_gather/none
        AccountingStorageType=accounting_storage/none
        SelectType=select/cons_tres
        SelectTypeParameters=CR_CPU
        ReturnToService=2
        SchedulerType=sched/backfill
        SchedulerParameters=sched_min_interval=0,batch_sched_delay=0,default_queue_depth=100
        StateSaveLocation={dir}/state
        SlurmdSpoolDir={dir}/spool
        SlurmctldPidFile={dir}/slurmctld.pid
        SlurmdPidFile={dir}/slurmd.pid
        SlurmctldLogFile={dir}/slurmctld.log
        SlurmdLogFile={dir}/slurmd.log
        NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
        PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP

        """;
}
