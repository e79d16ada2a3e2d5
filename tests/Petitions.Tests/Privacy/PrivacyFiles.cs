using System.Diagnostics;

namespace Petitions.Tests.Privacy;

/// <summary>The repository files these tests check, and the external verifiers (Node, Python) they run.</summary>
internal static class PrivacyFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string ReceiptsDoc => Path.Combine(RepositoryRoot, "docs", "receipts.md");

    public static string JsVerifier => Path.Combine(RepositoryRoot, "src", "Petitions.Web", "wwwroot", "js", "verify-receipt.js");

    public static string NodeRunner => Path.Combine(RepositoryRoot, "tests", "Petitions.Tests", "Privacy", "verify-receipts.mjs");

    /// <summary>Runs a program to its end and returns its exit code and standard output; fails the test on a hang.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Petitions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (with Petitions.sln) is not above the test binaries.");
    }
}
