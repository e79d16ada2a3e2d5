using FluentValidation;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Petitions.Web.Data;
using Petitions.Web.Email;
using Petitions.Web.Features.Account;
using Petitions.Web.Features.Common;
using Petitions.Web.Features.Counting;
using Petitions.Web.Features.Deliveries;
using Petitions.Web.Features.Notifications;
using Petitions.Web.Features.Organize;
using Petitions.Web.Features.Petitions;
using Petitions.Web.Features.Signing;
using Petitions.Web.Infrastructure;
using Serilog;
using Serilog.Events;

var builder = WebApplication.CreateBuilder(args);
var configuration = builder.Configuration;

builder.Services.AddHttpContextAccessor();
builder.Host.UseSerilog((context, services, logger) => logger
    .ReadFrom.Configuration(context.Configuration)
    .ReadFrom.Services(services)
    .Enrich.FromLogContext()
    .Enrich.With(new SafeRequestPathEnricher(services.GetRequiredService<IHttpContextAccessor>())));

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
services.AddSingleton<IValidator<RegisterForm>, RegisterFormValidator>();
services.AddSingleton<IValidator<LoginForm>, LoginFormValidator>();
services.AddSingleton<IValidator<ForgotPasswordForm>, ForgotPasswordFormValidator>();
services.AddSingleton<IValidator<ResetPasswordForm>, ResetPasswordFormValidator>();
services.AddSingleton<IValidator<ChangePasswordForm>, ChangePasswordFormValidator>();
services.AddSingleton<IValidator<DeleteAccountForm>, DeleteAccountFormValidator>();
services.AddSingleton<PetitionFormValidator>();
services.AddSingleton<StartPetitionFormValidator>();
services.AddSingleton<UpdateFormValidator>();
services.AddSingleton<OutcomeMessageValidator>();
services.AddSingleton<EmailRenderer>();
services.AddSingleton<Outbox>();
services.AddSingleton<OutboxSignal>();
services.AddHostedService<OutboxWorker>();
services.AddSingleton<SignatureCounter>();
services.AddHostedService(sp => sp.GetRequiredService<SignatureCounter>());
services.AddScoped<PetitionPageQuery>();
services.AddSingleton<SignHandler>();
services.AddScoped<AccountEmails>();
services.AddScoped<ManagedPetitions>();
services.AddSingleton<SupporterNotices>();
services.AddSingleton<UnsubscribeTokens>();
services.AddHostedService<NotificationWorker>();
services.AddSingleton<PetitionCloser>();
services.AddHostedService(sp => sp.GetRequiredService<PetitionCloser>());

// Keys live in the database so that cookies and emailed links survive restarts and work across instances.
services.AddDataProtection().SetApplicationName("Petitions").PersistKeysToDbContext<PetitionsDbContext>();
services.AddIdentity<ApplicationUser, IdentityRole>(identity =>
    {
        identity.SignIn.RequireConfirmedEmail = true;
        identity.User.RequireUniqueEmail = true;
        // User names are email addresses, which may hold any character an address may.
        identity.User.AllowedUserNameCharacters = "";
        identity.Lockout.MaxFailedAccessAttempts = 5;
        identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        identity.Lockout.AllowedForNewUsers = true;
        // Length over composition rules, as NIST SP 800-63B recommends.
        identity.Password.RequiredLength = AccountRules.MinPasswordLength;
        identity.Password.RequireDigit = false;
        identity.Password.RequireLowercase = false;
        identity.Password.RequireUppercase = false;
        identity.Password.RequireNonAlphanumeric = false;
    })
    .AddEntityFrameworkStores<PetitionsDbContext>()
    .AddDefaultTokenProviders();
// Check the security stamp on every request, so a deleted account or a changed password ends other sessions at once.
services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
services.ConfigureApplicationCookie(cookie =>
{
    cookie.Cookie.Name = "petitions.auth";
    cookie.LoginPath = "/account/login";
    cookie.LogoutPath = "/account/logout";
    cookie.AccessDeniedPath = "/account/login";
    cookie.SlidingExpiration = true;
});
services.AddSingleton<ConfirmHandler>();
services.AddSingleton<SignatureCsv>();

services.AddDelivery();
services.AddPetitionRateLimits();
// The petition page is rendered at most once a second per petition; the count may lag that much (issue 5).
services.AddOutputCache(options => options.AddPolicy(PetitionsController.PagePolicy, policy => policy
    .Expire(TimeSpan.FromSeconds(1))
    .Tag(PetitionsController.PagePolicy)));
services.AddHealthChecks().AddDbContextCheck<PetitionsDbContext>("database", tags: ["ready"]);
// Order 1000, as MVC's own antiforgery filter: after the request size and form limit filters (900).
services.AddControllersWithViews(mvc => mvc.Filters.Add<AntiforgeryValidation>(order: 1000));
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

await AdminAccount.EnsureAsync(app.Services, configuration);
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
app.UseClientAbortHandling();
app.UseStaticFiles();
app.UseRouting();
app.UseRequestSizeLimits();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgeryHoles();
app.UseOutputCache();

app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains("ready") });
app.MapControllers();
// RFC 8058 one-click unsubscribe: mail clients POST without a form token; the signed token in the URL is the authority.
app.MapPost("/u/{token}", UnsubscribeController.OneClickAsync);

await app.RunAsync();
return 0;

public partial class Program;
