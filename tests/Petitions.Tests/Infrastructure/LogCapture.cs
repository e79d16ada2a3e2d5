using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace Petitions.Tests.Infrastructure;

/// <summary>
/// A Serilog sink registered in the app's services: Program.cs reads sinks from services
/// (ReadFrom.Services), so it receives every event the app writes, formatted or not.
/// </summary>
public sealed class LogCapture : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> events = new();

    public void Emit(LogEvent logEvent) => events.Enqueue(logEvent);

    public IReadOnlyList<LogEvent> Events => events.ToArray();

    public void Clear() => events.Clear();

    /// <summary>Everything an event could put in a log file: the rendered message, every property and the exception.</summary>
    public static string Render(LogEvent logEvent)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        var text = new StringBuilder();
        text.Append(logEvent.RenderMessage(CultureInfo.InvariantCulture));
        foreach (var (name, value) in logEvent.Properties)
        {
            text.Append(' ').Append(name).Append('=').Append(value.ToString());
        }

        if (logEvent.Exception is not null)
        {
            text.Append(' ').Append(logEvent.Exception);
        }

        return text.ToString();
    }

    public string RenderAll() => string.Join('\n', Events.Select(Render));
}
