using System.Collections.Concurrent;
using Microsoft.AspNetCore.OutputCaching;

namespace Petitions.Tests.Browse;

/// <summary>
/// An output cache store that keeps every entry until it is evicted by tag, whatever lifetime the policy gives it, so
/// that a test can tell a cached answer from a fresh one without racing the one-second lifetime. Everything else (which
/// requests are cached, under which key, with which tags) is still decided by the app's own policies.
/// </summary>
public sealed class KeepingOutputCacheStore : IOutputCacheStore
{
    private readonly ConcurrentDictionary<string, (byte[] Value, string[] Tags)> entries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Keys => entries.Keys.ToList();

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        foreach (var (key, entry) in entries)
        {
            if (entry.Tags.Contains(tag, StringComparer.Ordinal))
            {
                entries.TryRemove(key, out _);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(entries.TryGetValue(key, out var entry) ? entry.Value : null);

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        entries[key] = (value, tags ?? []);
        return ValueTask.CompletedTask;
    }
}
