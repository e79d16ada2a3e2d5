[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Petitions.Tests.Infrastructure;

/// <summary>Every integration test shares one app and one database, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SharedApp : ICollectionFixture<PetitionsAppFactory>
{
    public const string Name = "App";
}

/// <summary>Base class for tests against the shared app: each test starts with an empty database.</summary>
[Collection(SharedApp.Name)]
public abstract class IntegrationTest(PetitionsAppFactory app) : IAsyncLifetime
{
    protected PetitionsAppFactory App { get; } = app;

    protected MailDevClient MailDev => App.MailDev;

    public virtual Task InitializeAsync() => App.ResetAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An address no other test uses, so emails in the shared maildev never collide.</summary>
    protected static string UniqueEmail(string name = "signer", string domain = "example.test") =>
        $"{name}-{Guid.NewGuid():N}@{domain}";
}
