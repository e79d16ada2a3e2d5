namespace Petitions.Tests.Infrastructure;

/// <summary>A clock that says what the test sets; for jobs whose rules depend on the date.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
