namespace Sim.Scenarios.Schema;

/// <summary>
/// One named box on the form: its key, what may go in it, whether it must be filled in, and the value
/// used when it is left blank (written as YAML text so docs show it exactly as a user would type it).
/// </summary>
public sealed record Field(string Name, SchemaNode Schema, bool Required, string? Default, string Description)
{
    public static Field Req(string name, SchemaNode schema, string description) => new(name, schema, true, null, description);

    public static Field Opt(string name, SchemaNode schema, string description, string? defaultValue = null) =>
        new(name, schema, false, defaultValue, description);
}
