namespace Sim.Reports.Tests;

/// <summary>Runs Debian's headless Chromium with the flags that work in containers (see ENVIRONMENT notes).</summary>
public static class Chromium
{
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--virtual-time-budget=15000", "--run-all-compositor-stages-before-draw",
    ];

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static readonly string[] Browsers = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string? Find() => Browsers.FirstOrDefault(File.Exists);

    /// <summary>Runs Chromium on a page; returns standard output (the DOM for --dump-dom).</summary>
    public static string Run(string profileDirectory, string url, params string[] extra)
    {
        string browser = Find() ?? throw new InvalidOperationException("chromium is required (CI=true) but not installed");
        var start = new System.Diagnostics.ProcessStartInfo(browser)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var flag in Flags) start.ArgumentList.Add(flag);
        start.ArgumentList.Add($"--user-data-dir={profileDirectory}");
        foreach (var flag in extra) start.ArgumentList.Add(flag);
        start.ArgumentList.Add(url);
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"chromium did not finish within 90 s: {error.Result}");
        }
        if (process.ExitCode != 0) throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {error.Result}");
        return output.Result;
    }
}
