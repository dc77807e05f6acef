namespace Sim.Notebooks;

/// <summary>
/// A name tag the Polyglot (.NET Interactive) kernel looks for, like a "handle with care" sticker a
/// courier recognises whoever printed it. The kernel's <c>Formatter</c> checks a displayed object's
/// attributes for one whose type is <em>named</em> <c>TypeFormatterSourceAttribute</c>, in any
/// namespace, reads its <c>FormatterSourceType</c> and <c>PreferredMimeTypes</c> properties by
/// reflection, and asks that source for formatters (dotnet/interactive,
/// src/Microsoft.DotNet.Interactive.Formatting/Formatter.cs, TryRegisterFromConventionBasedFormatterSources;
/// covered there by Convention_based_formatter_sources_can_provide_lazy_registration_of_custom_formatters).
/// Matching by name lets this library render as HTML in notebooks without referencing the kernel,
/// which this project's package feed does not carry.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class TypeFormatterSourceAttribute(Type formatterSourceType) : Attribute
{
    public Type FormatterSourceType { get; } = formatterSourceType;

    /// <summary>MIME types the kernel emits for the type, most preferred first.</summary>
    public string[]? PreferredMimeTypes { get; set; }
}
