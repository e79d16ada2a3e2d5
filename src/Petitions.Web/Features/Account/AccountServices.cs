using Microsoft.AspNetCore.Identity;
using Petitions.Web.Data;

namespace Petitions.Web.Features.Account;

public static class AccountServices
{
    /// <summary>Identity with its cookie, the account emails and the login throttle.</summary>
    public static IServiceCollection AddAccount(this IServiceCollection services)
    {
        services.AddIdentity<ApplicationUser, IdentityRole>(identity =>
            {
                identity.SignIn.RequireConfirmedEmail = true;
                identity.User.RequireUniqueEmail = true;
                // User names are email addresses, which may hold any character an address may.
                identity.User.AllowedUserNameCharacters = "";
                // No account lockout, which anyone could trigger to keep the owner out: LoginThrottle works per account and address.
                identity.Lockout.AllowedForNewUsers = false;
                // Length over composition rules, as NIST SP 800-63B recommends.
                identity.Password.RequiredLength = AccountRules.MinPasswordLength;
                identity.Password.RequireDigit = false;
                identity.Password.RequireLowercase = false;
                identity.Password.RequireUppercase = false;
                identity.Password.RequireNonAlphanumeric = false;
            })
            .AddEntityFrameworkStores<PetitionsDbContext>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrors>();
        // Check the security stamp on every request, so a deleted account or a changed password ends other sessions at once.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "petitions.auth";
            // Secure when the visitor uses https, also behind a TLS-terminating proxy (see TrustedProxies).
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/account/login";
            cookie.LogoutPath = "/account/logout";
            cookie.AccessDeniedPath = "/account/login";
            cookie.SlidingExpiration = true;
        });
        services.AddScoped<AccountEmails>();
        services.AddSingleton<AccountTargetLimiter>();
        services.AddSingleton<LoginThrottle>();
        services.AddHostedService<ThrottlePurgeWorker>();
        return services;
    }
}
