using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Petitions.Web.Infrastructure;

namespace Petitions.Web.Localization;

/// <summary>
/// The language is the URL's first segment (/fa/p/{slug}); unprefixed URLs are the default language. The prefix is
/// moved into PathBase, so routes stay as they are and every link the framework makes (Url helpers, redirects,
/// ~/ paths, the login redirect) keeps it; <see cref="PrefixLinksTagHelper"/> adds it to root-relative links in views.
/// </summary>
public static class LanguagePrefix
{
    private const string ItemKey = "petitions.language";

    public static Language Language(this HttpContext context) =>
        context.Items[ItemKey] as Language ?? context.RequestServices.GetRequiredService<SiteLanguages>().Default;

    /// <summary>"" for the default language, "/fa" for Persian: put before a root-relative path.</summary>
    public static string LanguagePrefixPath(this HttpContext context) =>
        context.RequestServices.GetRequiredService<SiteLanguages>().Prefix(context.Language());

    public static IApplicationBuilder UseLanguages(this IApplicationBuilder app)
    {
        var languages = app.ApplicationServices.GetRequiredService<SiteLanguages>();
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var language = languages.Default;
            var originalBase = request.PathBase;
            var originalPath = request.Path;
            foreach (var candidate in languages.All)
            {
                if (request.Path.StartsWithSegments("/" + candidate.Code, StringComparison.OrdinalIgnoreCase, out var rest))
                {
                    if (candidate == languages.Default)
                    {
                        // One URL per page and language: /en/x is /x.
                        context.Response.Redirect(originalBase.Add(rest.HasValue ? rest : new PathString("/")).Value + request.QueryString, permanent: true);
                        return;
                    }

                    language = candidate;
                    request.PathBase = originalBase.Add("/" + candidate.Code);
                    request.Path = rest.HasValue ? rest : "/";
                    break;
                }
            }

            context.Items[ItemKey] = language;
            if (language == languages.Default && HttpMethods.IsGet(request.Method) && request.Path == "/" && FirstVisitRedirect(context, languages) is { } preferred)
            {
                context.Response.Redirect(originalBase + "/" + preferred.Code + "/");
                return;
            }

            if (language != languages.Default)
            {
                var prefix = request.PathBase.Value!;
                context.Response.OnStarting(() =>
                {
                    // Controllers redirect to root-relative paths ("/p/{slug}"); keep the visitor in their language.
                    var location = context.Response.Headers.Location.ToString();
                    if (location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !languages.HasPrefix(location))
                    {
                        context.Response.Headers.Location = prefix + location;
                    }

                    return Task.CompletedTask;
                });
            }

            try
            {
                await next(context);
            }
            finally
            {
                request.PathBase = originalBase;
                request.Path = originalPath;
            }
        });

        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(languages.Default.Culture, languages.Default.UiCulture),
            SupportedCultures = languages.All.Select(l => l.Culture).ToList(),
            SupportedUICultures = languages.All.Select(l => l.UiCulture).ToList(),
            // Only the URL decides: no cookie, no query string, no Accept-Language, so each URL has one language.
            RequestCultureProviders = [new PathCultureProvider()],
        };
        return app.UseRequestLocalization(options);
    }

    /// <summary>
    /// The home page reached from outside the site (typed, bookmarked, a search result): the visitor's preferred
    /// language from Accept-Language, when it is not the default. From one of the site's own pages (the language
    /// switcher's English link) it never redirects, so the choice sticks without a cookie and the page stays cacheable.
    /// </summary>
    private static Language? FirstVisitRedirect(HttpContext context, SiteLanguages languages)
    {
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        var referer = context.Request.GetTypedHeaders().Referer;
        if (referer is { IsAbsoluteUri: true } && string.Equals(referer.Authority, context.Request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var accepted = context.Request.GetTypedHeaders().AcceptLanguage
            .Where(v => v.Quality is null or > 0)
            .OrderByDescending(v => v.Quality ?? 1);
        foreach (var value in accepted)
        {
            var tag = value.Value.Value ?? "";
            var code = tag.Split('-')[0];
            if (code == "*")
            {
                return null;
            }

            if (languages.Find(code) is { } match)
            {
                return match == languages.Default ? null : match;
            }
        }

        return null;
    }

    private sealed class PathCultureProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var language = httpContext.Language();
            return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(language.Culture.Name, language.UiCulture.Name));
        }
    }
}

public static class LocalizationServices
{
    public static IServiceCollection AddLanguages(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<LanguageOptions, LanguageOptionsValidator>(configuration, LanguageOptions.Section);
        services.AddSingleton(sp => new SiteLanguages(sp.GetRequiredService<IOptions<LanguageOptions>>().Value));
        services.AddLocalization();
        services.AddSingleton<Texts>();
        return services;
    }
}
