using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Infrastructure;
using Petitions.Web.Infrastructure;

namespace Petitions.Tests.Operations;

/// <summary>Sample accounts (with the password printed in README) never reach what an operator deploys (issue 9, item 8).</summary>
public sealed partial class SampleDataLoadingTests(PetitionsAppFactory app) : IntegrationTest(app)
{
    [Fact]
    public async Task Start_Production_LoadsNoSampleData()
    {
        await using var production = App.WithHost(host => host.UseEnvironment("Production"));

        _ = production.Server;

        Assert.Equal(0, await App.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.Petitions.CountAsync()));
    }

    [Fact]
    public async Task Start_ProductionWithSampleDataLoadTrue_LoadsTheSampleData()
    {
        await using var production = App.WithHost(host => host.UseEnvironment("Production").UseSetting("SampleData:Load", "true"));

        _ = production.Server;

        Assert.Equal([SampleData.OrganizerEmail], await App.WithDbAsync(db => db.Users.Select(u => u.Email).ToListAsync()));
        Assert.True(await App.WithDbAsync(db => db.Petitions.AnyAsync(p => p.Slug == SampleData.ReferenceSlug)));
    }

    [Fact]
    public async Task Start_DevelopmentWithSampleDataLoadFalse_LoadsNoSampleData()
    {
        await using var development = App.WithHost(host => host.UseEnvironment("Development").UseSetting("SampleData:Load", "false"));

        _ = development.Server;

        Assert.Equal(0, await App.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(0, await App.WithDbAsync(db => db.Petitions.CountAsync()));
    }

    [Fact]
    public void DockerCompose_RunsTheSiteInProductionWithoutSampleData()
    {
        var compose = File.ReadAllText(Path.Combine(RepositoryRoot(), "docker-compose.yml"));
        var live = string.Join('\n', compose.Split('\n').Where(line => !line.TrimStart().StartsWith('#')));

        Assert.Equal(["Production"], EnvironmentSetting().Matches(live).Select(m => m.Groups[1].Value));
        Assert.DoesNotMatch(SampleDataLoadTrue(), live);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Petitions.sln")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        return directory.FullName;
    }

    [GeneratedRegex(@"ASPNETCORE_ENVIRONMENT\s*[:=]\s*""?(\w+)")]
    private static partial Regex EnvironmentSetting();

    [GeneratedRegex(@"SampleData__Load\s*[:=]\s*""?true", RegexOptions.IgnoreCase)]
    private static partial Regex SampleDataLoadTrue();
}
