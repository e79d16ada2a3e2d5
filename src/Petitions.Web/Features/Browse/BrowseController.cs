using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OutputCaching;
using Petitions.Web.Data;
using Petitions.Web.Infrastructure.Caching;
using Petitions.Web.Localization;

namespace Petitions.Web.Features.Browse;

public sealed class BrowsePageModel
{
    public required BrowseFilter Filter { get; init; }
    public required IReadOnlyList<string> Categories { get; init; }
    public BrowsePage? Page { get; init; }
    public string? Problem { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];

    public string Heading
    {
        get
        {
            var what = Filter.Status switch
            {
                BrowseStatus.Closed => "Closed petitions",
                BrowseStatus.Victory => "Victories",
                BrowseStatus.All => "All petitions",
                _ => "Open petitions",
            };
            return Filter.Category is null ? what : $"{what} in {Filter.Category}";
        }
    }

    public string Link(BrowseCursor? after = null, BrowseCursor? before = null) => "/petitions" + BrowseRequest.Query(Filter, after, before);

    public string FirstPageLink => Link();
}

public sealed class SearchPageModel
{
    public required string Query { get; init; }
    public SearchResults? Results { get; init; }

    public string Link(int page)
    {
        var pairs = new List<KeyValuePair<string, string?>> { new("q", Query) };
        if (page > 1)
        {
            pairs.Add(new("page", page.ToString(CultureInfo.InvariantCulture)));
        }

        return "/search" + QueryString.Create(pairs);
    }
}

/// <summary>The server-rendered listing (/petitions) and search (/search) pages.</summary>
public sealed class BrowseController(ReadOnlyPetitionsDb readOnly) : Controller
{
    private PetitionsDbContext db => readOnly.Context;

    [HttpGet("/petitions")]
    [OutputCache(PolicyName = PublicPages.BrowsePolicy)]
    [PublicPage]
    public async Task<IActionResult> Index(string? status, string? category, string? sort, string? after, string? before, CancellationToken cancellationToken)
    {
        var request = BrowseRequest.Parse(status, category, sort, after, before);
        var query = new BrowseQuery(db, HttpContext.Language().Code);
        var categories = await query.CategoriesAsync(cancellationToken);
        if (request.Problem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return View(new BrowsePageModel { Filter = request.Filter, Categories = categories, Problem = request.Problem, Notes = request.Notes });
        }

        var page = await query.LoadAsync(request.Filter, request.After, request.Before, cancellationToken);
        return View(new BrowsePageModel { Filter = request.Filter, Categories = categories, Page = page, Notes = request.Notes });
    }

    [HttpGet("/search")]
    [OutputCache(PolicyName = PublicPages.SearchPolicy)]
    [PublicPage]
    public async Task<IActionResult> Search(string? q, string? page, CancellationToken cancellationToken)
    {
        var text = SearchQuery.Normalize(q);
        if (text.Length == 0)
        {
            return View(new SearchPageModel { Query = "" });
        }

        // A malformed or out-of-range page number is normalized rather than refused.
        var number = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 1, SearchQuery.MaxPage) : 1;
        var results = await new SearchQuery(db).SearchAsync(text, number, cancellationToken, HttpContext.Language().Code);
        return View(new SearchPageModel { Query = text, Results = results });
    }
}
