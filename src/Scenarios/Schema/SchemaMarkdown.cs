using System.Text;

namespace Sim.Scenarios.Schema;

/// <summary>
/// Writes the reference page for a schema, like printing the instructions on the back of a form from
/// the same template as the form itself: one row per key path with its kind, constraints, default
/// and meaning. Because it is generated, the documentation cannot disagree with the validator.
/// </summary>
public static class SchemaMarkdown
{
    public static string Write(MapSchema schema, string title, string introduction)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(title).Append("\n\n");
        text.Append(introduction.Trim()).Append("\n\n");
        text.Append("Generated from the schema declaration; do not edit by hand.\n\n");
        text.Append("| key | expected | required | default | meaning |\n");
        text.Append("|---|---|---|---|---|\n");
        WriteFields(schema, "", text);
        return text.ToString();
    }

    private static void WriteFields(MapSchema schema, string prefix, StringBuilder text)
    {
        foreach (var field in schema.Fields)
        {
            string path = prefix.Length == 0 ? field.Name : prefix + "." + field.Name;
            text.Append("| `").Append(path).Append("` | ").Append(Escape(field.Schema.Expected))
                .Append(" | ").Append(field.Required ? "yes" : "no")
                .Append(" | ").Append(field.Default is null ? "" : "`" + field.Default + "`")
                .Append(" | ").Append(Escape(field.Description)).Append(" |\n");
            WriteNested(field.Schema, path, text);
        }
    }

    private static void WriteNested(SchemaNode schema, string path, StringBuilder text)
    {
        switch (schema)
        {
            case MapSchema map: WriteFields(map, path, text); break;
            case ListSchema list: WriteNested(list.Item, path + "[]", text); break;
            case DictionarySchema dictionary: WriteNested(dictionary.Value, path + ".<name>", text); break;
        }
    }

    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
