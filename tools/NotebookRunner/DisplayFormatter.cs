using System.Collections;
using System.Linq.Expressions;

namespace Sim.NotebookRunner;

/// <summary>
/// Turns a displayed value into MIME-typed text the way the Polyglot kernel does for types that carry
/// a convention-based formatter source, like a customs officer following the same written procedure
/// as the border post it stands in for: find an attribute whose type is named
/// <c>TypeFormatterSourceAttribute</c> (any namespace), create its <c>FormatterSourceType</c>, call
/// <c>CreateTypeFormatters()</c>, and compile each formatter's <c>bool Format(object, TextWriter)</c>
/// into a delegate exactly as dotnet/interactive's Formatter does (Expression.Lambda, so a wrong
/// signature fails here as it would there). Values without one are shown as plain text (ToString),
/// where the real kernel would draw its generic object table.
/// </summary>
public static class DisplayFormatter
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";

    /// <summary>MIME type to text, in the preferred order; empty for null.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Format(object? value)
    {
        if (value is null) return [];
        if (value is string text) return [new(PlainText, text)];
        var formatted = new List<KeyValuePair<string, string>>();
        foreach (var (attribute, source) in FormatterSources(value.GetType()))
        {
            var preferred = attribute.GetType().GetProperty("PreferredMimeTypes")?.GetValue(attribute) as string[] ?? [];
            var formatters = source.GetType().GetMethod("CreateTypeFormatters")?.Invoke(source, null) as IEnumerable
                ?? throw new InvalidOperationException($"{source.GetType()} has no public CreateTypeFormatters() returning a sequence");
            foreach (var formatter in formatters)
            {
                if (formatter.GetType().GetProperty("MimeType")?.GetValue(formatter) is not string mimeType) continue;
                if (formatter.GetType().GetProperty("Type")?.GetValue(formatter) is Type applies && !applies.IsInstanceOfType(value)) continue;
                var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
                if (Compile(formatter)(value, writer) && formatted.All(f => f.Key != mimeType))
                    formatted.Add(new(mimeType, writer.ToString()));
            }
            formatted.Sort((a, b) => Rank(preferred, a.Key).CompareTo(Rank(preferred, b.Key)));
        }
        if (formatted.Count == 0) formatted.Add(new(PlainText, value.ToString() ?? ""));
        return formatted;
    }

    private static int Rank(string[] preferred, string mimeType)
    {
        int i = Array.IndexOf(preferred, mimeType);
        return i < 0 ? int.MaxValue : i;
    }

    private static IEnumerable<(Attribute Attribute, object Source)> FormatterSources(Type type)
    {
        foreach (var attribute in type.GetCustomAttributes(inherit: true).OfType<Attribute>())
        {
            if (attribute.GetType().Name != "TypeFormatterSourceAttribute") continue;
            if (attribute.GetType().GetProperty("FormatterSourceType")?.GetValue(attribute) is not Type sourceType) continue;
            yield return (attribute, Activator.CreateInstance(sourceType)
                ?? throw new InvalidOperationException($"cannot create formatter source {sourceType}"));
        }
    }

    private static Func<object, TextWriter, bool> Compile(object formatter)
    {
        var format = formatter.GetType().GetMethod("Format", [typeof(object), typeof(TextWriter)])
            ?? throw new InvalidOperationException($"{formatter.GetType()} has no public Format(object, TextWriter)");
        var value = Expression.Parameter(typeof(object));
        var writer = Expression.Parameter(typeof(TextWriter));
        return Expression.Lambda<Func<object, TextWriter, bool>>(Expression.Call(Expression.Constant(formatter), format, value, writer), value, writer).Compile();
    }
}
