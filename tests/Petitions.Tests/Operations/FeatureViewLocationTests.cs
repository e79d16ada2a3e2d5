using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.AspNetCore.Mvc.Razor.Compilation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Operations;

/// <summary>Each controller finds its views in its own feature's folder (by namespace) or in Common, never in another feature's.</summary>
[Collection(SharedApp.Name)]
public sealed class FeatureViewLocationTests(PetitionsAppFactory app)
{
    private static readonly Type[] Controllers = typeof(Program).Assembly.GetTypes()
        .Where(t => typeof(ControllerBase).IsAssignableFrom(t) && !t.IsAbstract)
        .ToArray();

    private static readonly string[] WithdrawalLocations = ["/Features/Withdrawal/{0}.cshtml", "/Features/Common/{0}.cshtml"];
    private static readonly string[] CommonOnly = ["/Features/Common/{0}.cshtml"];

    [Fact]
    public void Controller_FeatureIsTheNamespaceSegmentAfterFeatures()
    {
        Assert.Equal("Deliveries", FeatureViewLocations.FeatureOf(typeof(Web.Features.Deliveries.RecipientLinksController)));
        Assert.Equal("Notifications", FeatureViewLocations.FeatureOf(typeof(Web.Features.Notifications.UnsubscribeController)));
        Assert.Null(FeatureViewLocations.FeatureOf(typeof(Program)));
        Assert.Equal(WithdrawalLocations, FeatureViewLocations.LocationsOf("Withdrawal"));
    }

    [Fact]
    public void ViewEngine_HasNoCatchAllFeatureFolder()
    {
        var options = app.Services.GetRequiredService<IOptions<RazorViewEngineOptions>>().Value;

        Assert.Equal(CommonOnly, options.ViewLocationFormats);
        Assert.Contains(options.ViewLocationExpanders, e => e is FeatureViewLocations);
    }

    [Fact]
    public void EveryController_FindsItsOwnViews_AndNoOtherFeaturesViews()
    {
        var views = CompiledViews();
        var names = views.Where(v => v.StartsWith("/Features/", StringComparison.Ordinal))
            .Select(v => Path.GetFileNameWithoutExtension(v)).Distinct().ToList();
        var engine = app.Services.GetRequiredService<IRazorViewEngine>();
        using var scope = app.Services.CreateScope();
        Assert.NotEmpty(Controllers);
        foreach (var controller in Controllers)
        {
            var feature = FeatureViewLocations.FeatureOf(controller);
            Assert.True(feature is not null, $"{controller.FullName} is outside Petitions.Web.Features.");
            var ownFolder = $"/Features/{feature}/";
            var context = ActionContextFor(controller, scope.ServiceProvider);
            foreach (var name in names)
            {
                var found = engine.FindView(context, name, isMainPage: true);
                if (views.Contains(ownFolder + name + ".cshtml"))
                {
                    Assert.True(found.Success, $"{controller.Name} does not find its own view {name}.");
                    Assert.Equal(ownFolder + name + ".cshtml", ((RazorView)found.View!).Path);
                }
                else if (found.Success)
                {
                    var path = ((RazorView)found.View!).Path;
                    Assert.True(path.StartsWith("/Features/Common/", StringComparison.Ordinal),
                        $"{controller.Name} (feature {feature}) finds the view {name} in another feature's folder: {path}");
                }
            }
        }
    }

    private HashSet<string> CompiledViews()
    {
        var feature = new ViewsFeature();
        app.Services.GetRequiredService<ApplicationPartManager>().PopulateFeature(feature);
        var views = feature.ViewDescriptors.Select(v => v.RelativePath).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("/Features/Signing/ConfirmProblem.cshtml", views);
        return views;
    }

    private static ActionContext ActionContextFor(Type controller, IServiceProvider services)
    {
        var name = controller.Name.EndsWith("Controller", StringComparison.Ordinal) ? controller.Name[..^"Controller".Length] : controller.Name;
        var routeData = new RouteData();
        // The controller's route value is what a "/Features/{1}/{0}" format would use.
        routeData.Values["controller"] = name;
        routeData.Values["action"] = "Index";
        var action = new ControllerActionDescriptor { ControllerName = name, ActionName = "Index", ControllerTypeInfo = controller.GetTypeInfo() };
        return new ActionContext(new DefaultHttpContext { RequestServices = services }, routeData, action);
    }
}
