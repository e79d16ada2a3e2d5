using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Email;
using Petitions.Web.Features.Counting;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Signing;
using Petitions.Web.Infrastructure;
using Serilog;
using Serilog.Events;

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;

builder.Host.UseSerilog((context, services, logger) => logger
    .ReadFrom.Configuration(context.Configuration)
    .ReadFrom.Services(services)
    .Enrich.FromLogContext());

var connectionString = configuration.GetConnectionString("Petitions");
if (string.IsNullOrWhiteSpace(connectionString))
{
    Console.Error.WriteLine("ConnectionStrings__Petitions is required: the PostgreSQL connection string, such as Host=localhost;Database=petitions;Username=petitions;Password=...");
    return 2;
}

var services = builder.Services;
services.AddSingleton(TimeProvider.System);
services.AddValidatedOptions<SiteOptions, SiteOptionsValidator>(configuration, SiteOptions.Section);
services.AddValidatedOptions<SmtpOptions, SmtpOptionsValidator>(configuration, SmtpOptions.Section);
services.AddValidatedOptions<EmailOptions, EmailOptionsValidator>(configuration, EmailOptions.Section);
services.AddValidatedOptions<RateLimitingOptions, RateLimitingOptionsValidator>(configuration, RateLimitingOptions.Section);
services.AddValidatedOptions<CountingOptions, CountingOptionsValidator>(configuration, CountingOptions.Section);
services.Configure<DatabaseOptions>(configuration.GetSection(DatabaseOptions.Section));

var dataSource = new NpgsqlDataSourceBuilder(connectionString) { Name = "petitions" }.Build();
services.AddSingleton(dataSource);
services.AddDbContext<PetitionsDbContext>(options => options
    .UseNpgsql(dataSource, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
    .UseSnakeCaseNamingConvention());

services.AddSingleton<IValidator<SignForm>, SignFormValidator>();
services.AddSingleton<EmailRenderer>();
services.AddSingleton<Outbox>();
services.AddSingleton<OutboxSignal>();
services.AddHostedService<OutboxWorker>();
services.AddSingleton<SignatureCounter>();
services.AddHostedService(sp => sp.GetRequiredService<SignatureCounter>());
services.AddScoped<PetitionPageQuery>();
services.AddSingleton<SignHandler>();
services.AddSingleton<ConfirmHandler>();

services.AddPetitionRateLimits();
services.AddHealthChecks().AddDbContextCheck<PetitionsDbContext>("database", tags: ["ready"]);
services.AddControllersWithViews(mvc => mvc.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()));
services.Configure<RazorViewEngineOptions>(razor =>
{
    // Views live beside their feature: Features/{Feature}/{View}.cshtml.
    razor.ViewLocationFormats.Clear();
    razor.ViewLocationFormats.Add("/Features/{1}/{0}.cshtml");
    razor.ViewLocationFormats.Add("/Features/Signing/{0}.cshtml");
    razor.ViewLocationFormats.Add("/Features/Common/{0}.cshtml");
});
services.AddAntiforgery(options =>
{
    options.Cookie.Name = "petitions.af";
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

var migrateOnStartup = app.Environment.IsDevelopment() || configuration.GetValue<bool>("Database:MigrateOnStartup");
if (migrateOnStartup)
{
    using var scope = app.Services.CreateScope();
    await scope.ServiceProvider.GetRequiredService<PetitionsDbContext>().Database.MigrateAsync();
}

if (app.Environment.IsDevelopment())
{
    await SampleData.SeedAsync(app.Services);
}

if (app.Environment.IsProduction())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseExceptionHandler("/error/500");
app.UseStatusCodePagesWithReExecute("/error/{0}");
app.UseSecurityHeaders();
app.UseSerilogRequestLogging(options =>
    options.GetMessageTemplateProperties = (context, _, elapsed, status) =>
    [
        new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
        new LogEventProperty("RequestPath", new ScalarValue(LogRedaction.SafePath(context))),
        new LogEventProperty("StatusCode", new ScalarValue(status)),
        new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
    ]);
app.UseStaticFiles();
app.UseRouting();
app.UseRequestSizeLimits();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.MapControllers();

await app.RunAsync();
return 0;

public partial class Program;
