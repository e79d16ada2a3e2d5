using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Petitions.Tests.Account;
using Petitions.Tests.Infrastructure;

namespace Petitions.Tests.Operations;

/// <summary>
/// Data-protection keys encrypted with a certificate (issue 9, item 9): a leaked database backup holds no key that
/// could forge a cookie, and every node with the certificate still reads the keys.
/// </summary>
public sealed class DataProtectionKeyTests(PetitionsAppFactory app) : IntegrationTest(app), IDisposable
{
    private const string Password = "a throwaway certificate password";
    private readonly string directory = Directory.CreateTempSubdirectory("petitions-dp-").FullName;

    [Fact]
    public async Task Keys_WithACertificate_AreStoredEncryptedAndCookiesWorkOnEveryNode()
    {
        var certificate = WriteCertificate("keys.pfx", Password);
        await App.WithDbAsync(db => db.DataProtectionKeys.ExecuteDeleteAsync());
        var user = await new UserBuilder().CreateAsync(App.Services);
        var cookies = new CookieContainer();
        var address = Visitors.NextAddress();

        await using (var first = App.WithSettings(("DataProtection:CertificatePath", certificate), ("DataProtection:CertificatePassword", Password)))
        {
            using var browser = first.CreateVisitor(address, cookies);
            await browser.LogInAsync(user);
            Assert.True(await browser.IsLoggedInAsync());
        }

        var keys = await App.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });

        // A node started later has only the database and the certificate: it decrypts the key and accepts the cookie.
        await using var second = App.WithSettings(("DataProtection:CertificatePath", certificate), ("DataProtection:CertificatePassword", Password));
        using var sameBrowser = second.CreateVisitor(address, cookies);
        Assert.True(await sameBrowser.IsLoggedInAsync());
        var form = await sameBrowser.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, form.Status);
    }

    [Theory]
    [InlineData("missing", "DataProtection__CertificatePath")]
    [InlineData("wrong-password", "DataProtection__CertificatePassword")]
    [InlineData("no-private-key", "DataProtection__CertificatePath")]
    public async Task Start_CertificateThatCannotBeUsed_StopsWithAMessageNamingTheKey(string how, string named)
    {
        var path = how switch
        {
            "missing" => Path.Combine(directory, "missing.pfx"),
            "no-private-key" => WritePublicCertificate("public.cer"),
            _ => WriteCertificate("keys.pfx", "another password"),
        };
        await using var site = App.WithSettings(("DataProtection:CertificatePath", path), ("DataProtection:CertificatePassword", Password));

        var failure = Record.Exception(() => site.Server);

        Assert.NotNull(failure);
        Assert.Contains(named, failure.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string WriteCertificate(string name, string password)
    {
        using var certificate = CreateCertificate();
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private string WritePublicCertificate(string name)
    {
        using var certificate = CreateCertificate();
        var path = Path.Combine(directory, name);
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Cert));
        return path;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=Petitions data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }
}
