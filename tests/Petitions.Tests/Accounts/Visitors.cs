using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Accounts;

/// <summary>
/// Browsers that each come from their own IP address, as real visitors do. The account forms are rate-limited per
/// IP (20 posts a minute); without an address every test request would share one partition and trip the limit.
/// </summary>
public static class Visitors
{
    private static int next;

    public static TestBrowser CreateVisitor(this PetitionsAppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var n = Interlocked.Increment(ref next);
        // 198.18.0.0/15 is reserved for benchmarking, so these never look like real addresses.
        var address = new IPAddress([198, (byte)(18 + ((n >> 16) & 1)), (byte)(n >> 8), (byte)n]);
        var handler = new CookieContainerHandler(new CookieContainer())
        {
            InnerHandler = app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address),
        };
        return new TestBrowser(new HttpClient(handler) { BaseAddress = new Uri(PetitionsAppFactory.BaseUrl) });
    }
}
