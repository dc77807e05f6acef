using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Sim.Reports.Figures;

/// <summary>
/// Lets Plotly.NET run inside notebook kernels that ship their own F# runtime, like an adapter plug
/// for a socket that is almost the right shape. Plotly.NET 6.0.0 is compiled against FSharp.Core
/// 10.1.0.0; dotnet-interactive 1.0.712001 and dotnet-repl 0.3.259 load FSharp.Core 10.0.0.0 at
/// start-up. Given a 10.1 copy next to the notebook library, the kernel loads it beside its own and
/// Plotly.NET's dependency Giraffe.ViewEngine (compiled against 5.0.0.0) binds to the host's copy:
/// two F# runtimes, and the first chart fails with MissingMethodException
/// (Giraffe.ViewEngine.Attributes.get__id). So the notebook build leaves FSharp.Core out of its
/// folder (src/Notebooks keeps it in fsharp/), and when the runtime cannot find FSharp.Core
/// this handler answers with the host's copy of the same major version (every F# assembly then shares
/// one runtime), or, in a host without one, the copy in fsharp/. Where FSharp.Core sits in the
/// application's own folder (the CLI, the tests) the runtime finds it first and this never runs.
/// </summary>
internal static class FSharpCoreBinding
{
    private const string Name = "FSharp.Core";

#pragma warning disable CA2255 // must be in place before the first chart is built, whoever builds it
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register() => AssemblyLoadContext.Default.Resolving += Resolve;

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName requested)
    {
        if (requested.Name != Name) return null;
        bool SameMajor(Assembly a) => a.GetName().Version?.Major == requested.Version?.Major;
        var loaded = AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == Name && SameMajor(a));
        if (loaded is not null) return loaded;
        // The host's copy, not loaded yet: its path is in the trusted platform assemblies list. (Asking
        // the context for the name would come back to this handler when there is none.)
        string? hosts = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string)?.Split(Path.PathSeparator)
            .FirstOrDefault(path => Path.GetFileName(path) == Name + ".dll");
        if (hosts is not null && AssemblyName.GetAssemblyName(hosts).Version?.Major == requested.Version?.Major)
            return context.LoadFromAssemblyPath(hosts);
        string own = Path.Combine(Path.GetDirectoryName(typeof(FSharpCoreBinding).Assembly.Location) ?? "", "fsharp", Name + ".dll");
        return File.Exists(own) ? context.LoadFromAssemblyPath(own) : null;
    }
}
