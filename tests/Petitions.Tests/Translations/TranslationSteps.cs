using Microsoft.Extensions.DependencyInjection;
using Petitions.Web.Data;
using Petitions.Web.Features.Translations;

namespace Petitions.Tests.Translations;

public static class TranslationSteps
{
    public const string PersianTitle = "چاله‌های خیابان الم را پر کنید";
    public const string PersianBody = "چاله‌ها به **دوچرخه‌ها** و خودروها آسیب می‌زنند. لطفاً پیش از زمستان آن‌ها را تعمیر کنید.";

    /// <summary>Saves a translation as the organizer's form would, rendered the same way.</summary>
    public static async Task<PetitionTranslation> AddTranslationAsync(IServiceProvider services, long petitionId, string language, string title, string body)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PetitionsDbContext>();
        var translation = TranslatedText.Create(petitionId, language, title, body, DateTimeOffset.UtcNow);
        db.PetitionTranslations.Add(translation);
        await db.SaveChangesAsync();
        return translation;
    }
}
