namespace Petitions.Testing;

/// <summary>
/// Polls for an outcome that background work (the outbox worker, the counter) produces a little later.
/// Only the outcome is asserted; the timeout is a generous upper bound, never the thing under test.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Returns the first value that satisfies <paramref name="done"/>, or the last value seen after the timeout.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(Interval);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var ok = await ValueAsync(condition, v => v, timeout);
        Assert.True(ok, $"Timed out waiting until {because}");
    }
}
