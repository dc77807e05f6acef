namespace Sim.Reports.Tests;

/// <summary>
/// A test that needs a real headless Chromium. Outside CI it is skipped, with the reason, when no
/// browser is installed; under CI=true it always runs, so a missing browser fails the build.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Find() is null && !Chromium.UnderCi)
            Skip = "chromium is not installed (apt-get install -y chromium); under CI=true this test fails instead";
    }
}
