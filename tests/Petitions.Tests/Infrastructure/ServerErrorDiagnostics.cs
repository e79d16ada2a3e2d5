using System.Net;
using Serilog.Events;

namespace Petitions.Tests.Infrastructure;

/// <summary>
/// A 500 page says nothing useful, so a 500 that came with exceptions in the app's log fails the request with those errors:
/// a rare failure in CI then explains itself. (A test may still ask for the error page itself.)
/// </summary>
public sealed class ServerErrorDiagnostics(LogCapture logs) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var before = ErrorsLogged().Count;
        var response = await base.SendAsync(request, cancellationToken);
        var errors = ErrorsLogged().Skip(before).TakeLast(3).Select(LogCapture.Render).ToList();
        if (response.StatusCode != HttpStatusCode.InternalServerError || errors.Count == 0)
        {
            return response;
        }

        response.Dispose();
        throw new HttpRequestException($"{request.Method} {request.RequestUri} answered 500. The app logged:\n{string.Join("\n---\n", errors)}");
    }

    private List<LogEvent> ErrorsLogged() => [.. logs.Events.Where(e => e.Level >= LogEventLevel.Error && e.Exception is not null)];
}
