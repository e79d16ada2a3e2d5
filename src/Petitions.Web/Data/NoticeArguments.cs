using System.Text.Json;
using System.Text.Json.Serialization;

namespace Petitions.Web.Data;

/// <summary>
/// What a notice to supporters says, stored on its job (notification_jobs.arguments) in no language: NotificationWorker
/// composes each signer's email from it in the language they signed in. Only the fields of the notice's kind are set.
/// Text people wrote (an organizer's message, an update, a response) is kept as they wrote it.
/// </summary>
public sealed record NoticeArguments
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>An update's title, as posted.</summary>
    public string? Title { get; init; }

    /// <summary>An update's text or the organizer's closing or victory message, in Markdown as written.</summary>
    public string? Markdown { get; init; }

    /// <summary>Closed because its closing date passed, not by the organizer.</summary>
    public bool? ReachedClosingDate { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }
    public string? StarterName { get; init; }
    public int? SignatureCount { get; init; }
    public IReadOnlyList<NoticePerson>? Recipients { get; init; }

    /// <summary>Who responded, whether they accept the demand, and their response as they wrote it.</summary>
    public NoticePerson? Responder { get; init; }
    public bool? Accepts { get; init; }
    public string? ResponseText { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static NoticeArguments FromJson(string json) => JsonSerializer.Deserialize<NoticeArguments>(json, Json) ?? new NoticeArguments();
}

public sealed record NoticePerson(string Name, string? Title);
