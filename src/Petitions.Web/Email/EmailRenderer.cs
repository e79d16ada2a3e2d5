using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Routing;

namespace Petitions.Web.Email;

public sealed record EmailContent(string Subject, string Html, string Text);

/// <summary>
/// Renders an email from a pair of Razor templates: Templates/{name}.cshtml (HTML, which sets ViewData["Subject"])
/// and Templates/{name}.Text.cshtml (plain text).
/// </summary>
public sealed class EmailRenderer(IRazorViewEngine viewEngine, ITempDataProvider tempDataProvider, IServiceProvider services)
{
    public Task<EmailContent> RenderAsync<TModel>(EmailKind kind, TModel model)
    {
        ArgumentNullException.ThrowIfNull(kind);
        return RenderAsync(kind.Template, model);
    }

    /// <summary>Renders in <paramref name="language"/>, whatever the current request's language (later notices go out in the signer's).</summary>
    public async Task<EmailContent> RenderAsync<TModel>(EmailKind kind, TModel model, Localization.Language language)
    {
        ArgumentNullException.ThrowIfNull(language);
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = language.Culture;
        CultureInfo.CurrentUICulture = language.UiCulture;
        try
        {
            return await RenderAsync(kind, model);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    private async Task<EmailContent> RenderAsync<TModel>(string template, TModel model)
    {
        var (html, viewData) = await RenderViewAsync($"~/Email/Templates/{template}.cshtml", model);
        var (text, _) = await RenderViewAsync($"~/Email/Templates/{template}.Text.cshtml", model);
        var subject = viewData["Subject"] as string
            ?? throw new InvalidOperationException($"Email template {template} does not set ViewData[\"Subject\"].");
        // Razor HTML-encodes output; the text part must read as the user typed it.
        return new EmailContent(subject, html, WebUtility.HtmlDecode(text).Trim() + "\n");
    }

    private async Task<(string Output, ViewDataDictionary ViewData)> RenderViewAsync<TModel>(string path, TModel model)
    {
        // Razor needs scoped services (view buffers), so each render gets a scope of its own.
        await using var scope = services.CreateAsyncScope();
        var httpContext = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        var actionContext = new ActionContext(httpContext, new RouteData(), new ActionDescriptor());
        var viewResult = viewEngine.GetView(executingFilePath: null, viewPath: path, isMainPage: true);
        if (!viewResult.Success)
        {
            throw new InvalidOperationException($"Email template {path} was not found.");
        }

        var viewData = new ViewDataDictionary<TModel>(new EmptyModelMetadataProvider(), new ModelStateDictionary()) { Model = model };
        await using var writer = new StringWriter();
        var viewContext = new ViewContext(actionContext, viewResult.View, viewData, new TempDataDictionary(httpContext, tempDataProvider), writer, new HtmlHelperOptions());
        await viewResult.View.RenderAsync(viewContext);
        return (writer.ToString(), viewData);
    }
}
