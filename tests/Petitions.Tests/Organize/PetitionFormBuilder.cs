using System.Globalization;

namespace Petitions.Tests.Organize;

/// <summary>
/// The "Start a petition" (and edit) form's fields as a browser posts them: valid by default, any value overridable.
/// Decision makers post as DecisionMakers[i].Name, .TitleOrOrganization and .Email.
/// </summary>
public sealed class PetitionFormBuilder
{
    public const string DefaultBody = """
        Mill Road is the busiest cycling street in the city, and it has no protected lane.

        We ask the council to **build protected cycle lanes** on both sides before the end of next year.
        """;

    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal)
    {
        // Unique, so that no two tests share a slug (the public page is output-cached for a moment).
        ["Title"] = $"Build protected cycle lanes on Mill Road {Guid.NewGuid().ToString("N")[..8]}",
        ["Body"] = DefaultBody,
        ["StarterName"] = "Mill Road Cyclists",
        ["Category"] = "Transport",
        ["GoalMode"] = "automatic",
        ["Goal"] = "",
        ["ClosesOn"] = "",
        ["StarterCountry"] = "GB",
        ["StarterPostcodeOrCity"] = "CB1 2AB",
    };

    private readonly List<(string Name, string TitleOrOrganization, string Email)> decisionMakers =
    [
        ("Jane Smith", "Leader, Cambridge City Council", "leader@council.example"),
    ];

    public IReadOnlyList<(string Name, string TitleOrOrganization, string Email)> DecisionMakers => decisionMakers;

    public string this[string field] => values[field];

    public PetitionFormBuilder With(string field, string value)
    {
        values[field] = value;
        return this;
    }

    public PetitionFormBuilder WithTitle(string value) => With("Title", value);

    public PetitionFormBuilder WithBody(string value) => With("Body", value);

    public PetitionFormBuilder FixedGoal(string value) => With("GoalMode", "fixed").With("Goal", value);

    public PetitionFormBuilder ClosingOn(DateOnly date) => With("ClosesOn", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    /// <summary>Replaces the decision makers with these rows, in order; empty strings leave a field blank.</summary>
    public PetitionFormBuilder WithDecisionMakers(params (string Name, string TitleOrOrganization, string Email)[] rows)
    {
        decisionMakers.Clear();
        decisionMakers.AddRange(rows);
        return this;
    }

    public PetitionFormBuilder AddDecisionMaker(string name, string titleOrOrganization = "", string email = "")
    {
        decisionMakers.Add((name, titleOrOrganization, email));
        return this;
    }

    /// <summary>The fields for the edit form, which has no starter signature.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> BuildForEdit() =>
        Build().Where(f => f.Key is not ("StarterCountry" or "StarterPostcodeOrCity")).ToList();

    public IReadOnlyList<KeyValuePair<string, string>> Build()
    {
        var fields = values.Select(v => new KeyValuePair<string, string>(v.Key, v.Value)).ToList();
        for (var i = 0; i < decisionMakers.Count; i++)
        {
            var (name, title, email) = decisionMakers[i];
            fields.Add(new($"DecisionMakers[{i}].Name", name));
            fields.Add(new($"DecisionMakers[{i}].TitleOrOrganization", title));
            fields.Add(new($"DecisionMakers[{i}].Email", email));
        }

        return fields;
    }
}
