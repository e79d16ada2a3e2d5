using System.Diagnostics;

namespace Petitions.Testing;

/// <summary>One message as maildev parsed it. Header names are lower case, as maildev gives them.</summary>
public sealed record ReceivedEmail(
    string To,
    string Subject,
    string Html,
    string Text,
    IReadOnlyDictionary<string, string> Headers,
    IReadOnlyList<string> AttachmentNames,
    string Id = "");

/// <summary>
/// The browser journeys' view of maildev: waits for a message to an address, by subject or any test, on top of
/// <see cref="MailDevClient"/>.
/// </summary>
public sealed class Mailbox(Uri maildevUrl) : IDisposable
{
    private readonly MailDevClient client = new(maildevUrl);

    /// <summary>Waits for the first message to <paramref name="address"/> (addresses are unique per test).</summary>
    public Task<ReceivedEmail> WaitForEmailToAsync(string address, TimeSpan timeout) =>
        WaitForEmailToAsync(address, _ => true, "any subject", timeout);

    /// <summary>
    /// Waits for the first message to <paramref name="address"/> whose subject is exactly <paramref name="subject"/>:
    /// an address that gets several emails in one journey (confirmation, updates, notices) is told apart by subject.
    /// </summary>
    public Task<ReceivedEmail> WaitForEmailToAsync(string address, string subject, TimeSpan timeout) =>
        WaitForEmailToAsync(address, m => string.Equals(m.Subject, subject, StringComparison.Ordinal), $"the subject \"{subject}\"", timeout);

    /// <summary>Waits for the first message to <paramref name="address"/> that <paramref name="match"/> accepts.</summary>
    public async Task<ReceivedEmail> WaitForEmailToAsync(string address, Func<ReceivedEmail, bool> match, string description, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(match);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var found = (await EmailsToAsync(address)).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            if (clock.Elapsed > timeout)
            {
                var subjects = string.Join(" | ", (await EmailsToAsync(address)).Select(m => m.Subject));
                throw new TimeoutException(
                    $"No email with {description} arrived at maildev for the test's address within {timeout.TotalSeconds:0} s. It got: [{subjects}]");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Every message maildev holds for <paramref name="address"/>, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> EmailsToAsync(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return (await client.ListToAsync(address)).Select(m => new ReceivedEmail(
            m.To.First(t => string.Equals(t.Address, address.Trim(), StringComparison.OrdinalIgnoreCase)).Address,
            m.Subject, m.Html ?? "", m.Text ?? "", m.Headers, m.AttachmentNames, m.Id)).ToList();
    }

    public void Dispose() => client.Dispose();
}
