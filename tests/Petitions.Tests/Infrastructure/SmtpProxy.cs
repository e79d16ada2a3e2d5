using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Petitions.Tests.Infrastructure;

/// <summary>
/// A TCP proxy in front of the real SMTP server (maildev) that injects the faults the outbox must survive:
/// a recipient refused with a chosen reply, and a pause right after the server accepted a message (so a test can
/// stop the worker at an exact point mid-batch). Mail that gets through is delivered to maildev unchanged.
/// It hides PIPELINING from the client, so commands and replies come strictly one at a time.
/// </summary>
public sealed class SmtpProxy : IAsyncDisposable
{
    private readonly int upstreamPort;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly Task acceptLoop;
    private int accepted;

    /// <param name="upstreamPort">The real SMTP server's port.</param>
    /// <param name="port">The port to listen on; 0 picks a free one. A fixed port lets a test take SMTP down and bring it back.</param>
    public SmtpProxy(int upstreamPort, int port = 0)
    {
        this.upstreamPort = upstreamPort;
        listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = AcceptLoopAsync();
    }

    public int Port { get; }

    /// <summary>Given a RCPT TO address, the reply to send instead of passing the command on (such as "550 5.1.1 No such user"), or null.</summary>
    public Func<string, string?>? RecipientReply { get; set; }

    /// <summary>Runs when the server has accepted the n-th message, before its reply reaches the client.</summary>
    public Func<int, Task>? OnMessageAccepted { get; set; }

    public int AcceptedMessages => Volatile.Read(ref accepted);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        await acceptLoop;
        stop.Dispose();
    }

    /// <summary>A local port with nothing listening on it: connecting is refused, as when the SMTP server is down.</summary>
    public static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private async Task AcceptLoopAsync()
    {
        var sessions = new List<Task>();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                sessions.Add(RelayAsync(client));
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                break;
            }
        }

        await Task.WhenAll(sessions);
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, upstreamPort, stop.Token);
                using var session = new Session(client.GetStream(), upstream.GetStream());
                var toServer = ClientToServerAsync(session);
                var toClient = ServerToClientAsync(session);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task ClientToServerAsync(Session s)
    {
        var reader = new LineReader(s.Client);
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            if (s.InData)
            {
                if (line.AsSpan().SequenceEqual(".\r\n"u8))
                {
                    s.InData = false;
                    s.AwaitingDataReply = true;
                }

                await s.Server.WriteAsync(line, stop.Token);
                continue;
            }

            var command = Encoding.ASCII.GetString(line).TrimEnd();
            if (command.StartsWith("RCPT TO:", StringComparison.OrdinalIgnoreCase)
                && RecipientReply?.Invoke(command[8..].Trim().Trim('<', '>')) is { } reply)
            {
                await s.WriteToClientAsync(Encoding.ASCII.GetBytes(reply + "\r\n"), stop.Token);
                continue;
            }

            if (command.Equals("DATA", StringComparison.OrdinalIgnoreCase))
            {
                s.DataRequested = true;
            }

            await s.Server.WriteAsync(line, stop.Token);
        }
    }

    private async Task ServerToClientAsync(Session s)
    {
        var reader = new LineReader(s.Server);
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            var text = Encoding.ASCII.GetString(line);
            var final = text.Length > 3 && text[3] == ' ';
            if (s.DataRequested && final)
            {
                s.DataRequested = false;
                s.InData = text.StartsWith("354", StringComparison.Ordinal);
            }
            else if (s.AwaitingDataReply && final)
            {
                s.AwaitingDataReply = false;
                if (text.StartsWith('2'))
                {
                    var n = Interlocked.Increment(ref accepted);
                    if (OnMessageAccepted is { } hook)
                    {
                        await hook(n);
                    }
                }
            }
            else if (text.StartsWith("250", StringComparison.Ordinal) && text.Contains("PIPELINING", StringComparison.OrdinalIgnoreCase))
            {
                line = Encoding.ASCII.GetBytes(text.Replace("PIPELINING", "X-NO-PIPELINING", StringComparison.OrdinalIgnoreCase));
            }

            await s.WriteToClientAsync(line, stop.Token);
        }
    }

    private sealed class Session(NetworkStream client, NetworkStream server) : IDisposable
    {
        private readonly SemaphoreSlim writeLock = new(1, 1);

        public NetworkStream Client { get; } = client;

        public NetworkStream Server { get; } = server;

        public volatile bool DataRequested;
        public volatile bool InData;
        public volatile bool AwaitingDataReply;

        public void Dispose() => writeLock.Dispose();

        public async Task WriteToClientAsync(byte[] bytes, CancellationToken cancellationToken)
        {
            await writeLock.WaitAsync(cancellationToken);
            try
            {
                await Client.WriteAsync(bytes, cancellationToken);
            }
            finally
            {
                writeLock.Release();
            }
        }
    }

    /// <summary>Reads CRLF-terminated lines as raw bytes, so message content passes through unchanged.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] buffer = new byte[8192];
        private int start;
        private int end;

        public async Task<byte[]?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new List<byte>();
            while (true)
            {
                if (start == end)
                {
                    start = 0;
                    end = await stream.ReadAsync(buffer, cancellationToken);
                    if (end == 0)
                    {
                        return line.Count > 0 ? line.ToArray() : null;
                    }
                }

                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline < 0)
                {
                    line.AddRange(buffer.AsSpan(start, end - start).ToArray());
                    start = end;
                    continue;
                }

                line.AddRange(buffer.AsSpan(start, newline + 1 - start).ToArray());
                start = newline + 1;
                return line.ToArray();
            }
        }
    }
}
