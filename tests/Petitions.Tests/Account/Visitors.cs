using System.Net;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.AspNetCore.TestHost;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Account;

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
        return app.Server.CreateVisitor(NextAddress());
    }

    public static TestBrowser CreateVisitor(this AppVariant app, IPAddress? address = null, CookieContainer? cookies = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Server.CreateVisitor(address ?? NextAddress(), cookies);
    }

    /// <summary>A browser on <paramref name="server"/> from <paramref name="address"/>; browsers given one cookie jar share a session, as one person's browser does across app nodes.</summary>
    public static TestBrowser CreateVisitor(this TestServer server, IPAddress address, CookieContainer? cookies = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var handler = new CookieContainerHandler(cookies ?? new CookieContainer())
        {
            InnerHandler = server.CreateHandler(context => context.Connection.RemoteIpAddress = address),
        };
        return new TestBrowser(new HttpClient(handler) { BaseAddress = new Uri(PetitionsAppFactory.BaseUrl) });
    }

    /// <summary>An address no other visitor has. 198.18.0.0/15 is reserved for benchmarking, so these never look like real addresses.</summary>
    public static IPAddress NextAddress()
    {
        var n = Interlocked.Increment(ref next);
        return new IPAddress([198, (byte)(18 + ((n >> 16) & 1)), (byte)(n >> 8), (byte)n]);
    }
}
