using Microsoft.AspNetCore.Identity;

namespace Petitions.Web.Data;

public class ApplicationUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
