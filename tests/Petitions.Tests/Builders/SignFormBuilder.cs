namespace Petitions.Tests.Builders;

/// <summary>
/// The sign form's fields as a browser posts them: valid by default, any value overridable, any field removable.
/// Checkboxes post "true" (when checked) followed by their hidden "false", like the rendered form.
/// </summary>
public sealed class SignFormBuilder
{
    private readonly Dictionary<string, string?> values = new(StringComparer.Ordinal)
    {
        ["FullName"] = "Ada Lovelace",
        ["Email"] = $"ada-{Guid.NewGuid():N}@example.test",
        ["Country"] = "GB",
        ["PostcodeOrCity"] = "Cambridge",
        ["Reason"] = "",
        ["Website"] = "",
    };

    private readonly Dictionary<string, bool> checkboxes = new(StringComparer.Ordinal)
    {
        ["ShowPublicly"] = true,
        ["EmailUpdates"] = false,
        ["ShareEmailWithOrganizer"] = false,
    };

    public string? FullName => values["FullName"];

    public string? Email => values["Email"];

    public string? Value(string field) => values.GetValueOrDefault(field);

    public SignFormBuilder With(string field, string? value)
    {
        values[field] = value;
        return this;
    }

    public SignFormBuilder WithFullName(string? value) => With("FullName", value);

    public SignFormBuilder WithEmail(string? value) => With("Email", value);

    public SignFormBuilder WithCountry(string? value) => With("Country", value);

    public SignFormBuilder WithPostcodeOrCity(string? value) => With("PostcodeOrCity", value);

    public SignFormBuilder WithReason(string? value) => With("Reason", value);

    /// <summary>Fills the honeypot, as a naive bot does.</summary>
    public SignFormBuilder WithWebsite(string? value) => With("Website", value);

    public SignFormBuilder ShowPublicly(bool value = true) => Check("ShowPublicly", value);

    public SignFormBuilder EmailUpdates(bool value = true) => Check("EmailUpdates", value);

    public SignFormBuilder ShareEmailWithOrganizer(bool value = true) => Check("ShareEmailWithOrganizer", value);

    /// <summary>Leaves the field out of the post altogether.</summary>
    public SignFormBuilder Without(string field)
    {
        values[field] = null;
        return this;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Build(string? antiforgeryToken = null)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in values)
        {
            if (value is not null)
            {
                fields.Add(new($"Form.{name}", value));
            }
        }

        foreach (var (name, isChecked) in checkboxes)
        {
            if (isChecked)
            {
                fields.Add(new($"Form.{name}", "true"));
            }

            fields.Add(new($"Form.{name}", "false"));
        }

        if (antiforgeryToken is not null)
        {
            fields.Add(new(Infrastructure.TestBrowser.AntiforgeryField, antiforgeryToken));
        }

        return fields;
    }

    private SignFormBuilder Check(string field, bool value)
    {
        checkboxes[field] = value;
        return this;
    }
}
