using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Domain.Privacy;
using Petitions.Web.Email;
using Petitions.Web.Features.Account;
using Petitions.Web.Features.Admin;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Counting;
using Petitions.Web.Features.Deliveries;
using Petitions.Web.Features.Integrity;
using Petitions.Web.Features.MySignatures;
using Petitions.Web.Features.Notifications;
using Petitions.Web.Features.Organize;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Reach;
using Petitions.Web.Features.Retention;
using Petitions.Web.Features.Signing;
using Petitions.Web.Features.Translations;
using Petitions.Web.Features.Verify;
using Petitions.Web.Features.Withdrawal;
using Petitions.Web.Infrastructure;
using Petitions.Web.Infrastructure.Caching;
using Petitions.Web.Localization;
using Serilog;
using Serilog.Events;

var builder = WebApplication.CreateBuilder(args);
// In every environment, so a registration that cannot be built, or a scoped service held by a singleton, stops start-up.
builder.Host.UseDefaultServiceProvider(provider =>
{
    provider.ValidateOnBuild = true;
    provider.ValidateScopes = true;
});
var configuration = builder.Configuration;

builder.Services.AddHttpContextAccessor();
// The app's own logger, not the static Log.Logger: an app that stops closes the static one, whichever app set it last,
// which silenced the others when several ran in one process (the tests do).
builder.Host.UseSerilog(
    (context, services, logger) => logger
        .ReadFrom.Configuration(context.Configuration)
        .ReadFrom.Services(services)
        .Enrich.FromLogContext()
        .Enrich.With(new SafeRequestPathEnricher(services.GetRequiredService<IHttpContextAccessor>()))
        .Filter.ByExcluding(MigrationsHistoryProbe.IsExpectedFailure),
    preserveStaticLogger: true);

var connectionString = configuration.GetConnectionString("Petitions");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("ConnectionStrings__Petitions is required: the PostgreSQL connection string, such as Host=localhost;Database=petitions;Username=petitions;Password=...");
    return 2;
}

var services = builder.Services;
services.AddSingleton(TimeProvider.System);
services.AddLanguages(configuration);
services.AddDomain();
services.AddValidatedOptions<SiteOptions, SiteOptionsValidator>(configuration, SiteOptions.Section);
services.AddValidatedOptions<RateLimitingOptions, RateLimitingOptionsValidator>(configuration, RateLimitingOptions.Section);
services.AddTrustedProxies(configuration);

var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "petitions" }.WithAutoPrepare(connectionString).Build();
services.AddSingleton(dataSource);
services.AddDbContext<PetitionsDbContext>(options => PetitionsDbContext.ConfigureOptions(options, dataSource));

services.AddReadReplica(configuration);
// Every form's and every option's validator, each as itself and as IValidator<T>.
services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton);
services.AddEmail(configuration);
services.AddCounting(configuration);
services.AddSigning();
services.AddAccount();
services.AddOrganize();
services.AddNotifications();

// Keys live in the database so that cookies and emailed links survive restarts and work across instances;
// with DataProtection__CertificatePath they are encrypted there.
services.AddDataProtection().SetApplicationName("Petitions").PersistKeysToDbContext<PetitionsDbContext>()
    .ProtectKeysWithConfiguredCertificate(configuration);

services.AddProtectedMode(configuration);
services.AddDelivery();
services.AddVerify();
services.AddWithdrawal();
services.AddMySignatures();
services.AddRetention();
services.AddTranslations();
services.AddAdmin(configuration);
services.AddIntegrity(configuration);
services.AddReachAndImages(configuration);
services.AddPetitionRateLimits();
// Pages the same for every anonymous visitor, rendered at most once a second each and cacheable by a CDN (issue 14).
services.AddPublicPages();
services.AddApiRateLimit(configuration);
services.AddHealthChecks().AddDbContextCheck<PetitionsDbContext>("database", tags: ["ready"]);
// Order 1000, as MVC's own antiforgery filter: after the request size and form limit filters (900).
services.AddControllersWithViews(mvc => mvc.Filters.Add<AntiforgeryValidation>(order: 1000));
services.Configure<RazorViewEngineOptions>(razor =>
{
    // Views live beside their feature, found by the controller's namespace (FeatureViewLocations).
    razor.ViewLocationFormats.Clear();
    razor.ViewLocationFormats.Add(FeatureViewLocations.CommonFolder);
    razor.ViewLocationExpanders.Add(new FeatureViewLocations());
});
services.AddAntiforgery(options =>
{
    options.Cookie.Name = "petitions.af";
    options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    options.FormFieldName = "__RequestVerificationToken";
});
if (!builder.Environment.IsDevelopment())
{
    services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
}

var app = builder.Build();

if (args.Contains("migrate"))
{
    using var scope = app.Services.CreateScope();
    await scope.ServiceProvider.GetRequiredService<PetitionsDbContext>().Database.MigrateAsync();
    Console.WriteLine("Migrations applied.");
    return 0;
}

if (args.Contains("distribute"))
{
    try
    {
        foreach (var line in await CitusDistribution.DistributeAsync(app.Services.GetRequiredService<NpgsqlDataSource>()))
        {
            Console.WriteLine(line);
        }
    }
    catch (InvalidOperationException ex)
    {
        await Console.Error.WriteLineAsync(ex.Message);
        return 1;
    }

    Console.WriteLine("Tables distributed.");
    return 0;
}

var migrateOnStartup = app.Environment.IsDevelopment() || configuration.GetValue<bool>("Database:MigrateOnStartup");
if (migrateOnStartup)
{
    using var scope = app.Services.CreateScope();
    await scope.ServiceProvider.GetRequiredService<PetitionsDbContext>().Database.MigrateAsync();
}

await AdminAccount.EnsureAsync(app.Services, configuration);
if (SampleData.ShouldLoad(app.Environment, configuration))
{
    await SampleData.SeedAsync(app.Services);
}

// First, so that everything after it (HSTS, logging, rate limits) sees the client's address and scheme.
app.UseTrustedProxies();
if (app.Environment.IsProduction())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseLanguages();
app.UseHeadAsGet();
app.UseExceptionHandler("/error/500");
app.UseStatusCodePagesWithReExecute("/error/{0}");
app.UseSecurityHeaders();
app.UseSerilogRequestLogging(options =>
{
    options.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
    options.GetMessageTemplateProperties = (context, _, elapsed, status) =>
    [
        new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
        new LogEventProperty("RequestPath", new ScalarValue(LogRedaction.SafePath(context))),
        new LogEventProperty("StatusCode", new ScalarValue(status)),
        new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
    ];
});
app.UseClientAbortHandling();
app.UseStaticFiles();
app.UseRouting();
app.UseRequestSizeLimits();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseOutputCache();
app.UsePublicPages();

app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.MapControllers();
// RFC 8058 one-click unsubscribe: mail clients POST without a form token; the signed token in the URL is the authority.
app.MapPost("/u/{token}", UnsubscribeController.OneClickAsync);
app.MapPost("/email/stop/{token}", StopEmailsController.OneClickAsync);

await app.RunAsync();
return 0;

public partial class Program;
