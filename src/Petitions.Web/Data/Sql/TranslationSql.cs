namespace Petitions.Web.Data.Sql;

/// <summary>Translations a notice reads when it renders (NotificationWorker), in the claim's short transaction.</summary>
public static class TranslationSql
{
    /// <summary>$1 petition: language, title of each of its translations.</summary>
    public const string PetitionTitles = "SELECT language, title FROM petition_translations WHERE petition_id = $1";

    /// <summary>$1 update: language, title, body of each of its translations.</summary>
    public const string UpdateTranslations = "SELECT language, title, body, body_html FROM petition_update_translations WHERE update_id = $1";
}
