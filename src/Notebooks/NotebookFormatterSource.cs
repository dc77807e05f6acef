namespace Sim.Notebooks;

/// <summary>
/// Hands the notebook kernel one formatter per MIME type for every <see cref="View"/>, like an
/// interpreter booth offering the same speech in two languages. The kernel finds this class through
/// <see cref="TypeFormatterSourceAttribute"/>, creates it with its public parameterless constructor,
/// calls <see cref="CreateTypeFormatters"/>, and for each formatter reads <c>MimeType</c> and
/// <c>Type</c> and compiles a call to <c>bool Format(object, TextWriter)</c>. Those member names and
/// signatures are the whole contract; nothing here references the kernel.
/// </summary>
public sealed class NotebookFormatterSource
{
    public const string Html = "text/html";
    public const string PlainText = "text/plain";

#pragma warning disable CA1822 // the kernel calls these on an instance it creates, by reflection: they must stay instance members
    public IEnumerable<object> CreateTypeFormatters() => [new ViewFormatter(Html), new ViewFormatter(PlainText)];

    /// <summary>Writes a view in one MIME type; declines (returns false) anything that is not a view.</summary>
    public sealed class ViewFormatter(string mimeType)
    {
        public string MimeType { get; } = mimeType;

        /// <summary>Applies to every view type, so subclasses need no registration of their own.</summary>
        public Type Type => typeof(View);
#pragma warning restore CA1822

        public bool Format(object instance, TextWriter writer)
        {
            if (instance is not View view) return false;
            writer.Write(MimeType == Html ? view.ToHtml() : view.ToString());
            return true;
        }
    }
}
