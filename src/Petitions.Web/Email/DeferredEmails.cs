using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Petitions.Web.Localization;

namespace Petitions.Web.Email;

/// <summary>
/// A kind whose outbox rows hold the template's model as JSON instead of its bodies: the request that queues it does
/// no Razor work and writes a smaller row, and <see cref="OutboxWorker"/> renders it at send time.
/// </summary>
public sealed record DeferredEmailKind(EmailKind Kind, Func<EmailRenderer, string, Language, Task<EmailContent>> Render);

/// <summary>Renders the deferred kinds registered with <see cref="DeferredEmailServices.AddDeferredEmail{TModel}"/>.</summary>
public sealed class DeferredEmails(IEnumerable<DeferredEmailKind> kinds, EmailRenderer renderer, SiteLanguages languages)
{
    private readonly Dictionary<string, DeferredEmailKind> byName = kinds.ToDictionary(k => k.Kind.Name, StringComparer.Ordinal);

    /// <summary>
    /// Renders a row's model in its language (the site's default when that language is no longer configured).
    /// Throws <see cref="UnknownDeferredKindException"/> for a kind with no registration, and whatever the JSON reader
    /// or the template throws for a model that does not fit.
    /// </summary>
    public Task<EmailContent> RenderAsync(string kind, string modelJson, string? language)
    {
        if (!byName.TryGetValue(kind, out var deferred))
        {
            throw new UnknownDeferredKindException();
        }

        return deferred.Render(renderer, modelJson, languages.Find(language) ?? languages.Default);
    }
}

/// <summary>A row names a kind that is not rendered at send time (its message never says which, as kinds are ours to log).</summary>
public sealed class UnknownDeferredKindException : Exception
{
    public UnknownDeferredKindException()
        : base("The row's kind is not rendered at send time.")
    {
    }

    public UnknownDeferredKindException(string message)
        : base(message)
    {
    }

    public UnknownDeferredKindException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

public static class DeferredEmailServices
{
    /// <summary>
    /// Lets rows of <paramref name="kind"/> carry their model as JSON (read and written with <paramref name="type"/>,
    /// source-generated so the request spends no reflection on it).
    /// </summary>
    public static IServiceCollection AddDeferredEmail<TModel>(this IServiceCollection services, EmailKind kind, JsonTypeInfo<TModel> type)
        where TModel : class =>
        services.AddSingleton(new DeferredEmailKind(kind, (renderer, json, language) =>
            renderer.RenderAsync(kind, JsonSerializer.Deserialize(json, type) ?? throw new JsonException("The model is null."), language)));
}
