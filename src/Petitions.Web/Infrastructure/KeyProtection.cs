using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;

namespace Petitions.Web.Infrastructure;

/// <summary>
/// Encrypts the data-protection keys stored in the database with a certificate (DataProtection__CertificatePath and
/// DataProtection__CertificatePassword), so that a leaked backup cannot forge cookies or emailed links. Every node
/// needs the same certificate; without one the keys are stored as plain XML.
/// </summary>
public static class KeyProtection
{
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddValidatedOptions<KeyProtectionOptions, KeyProtectionOptionsValidator>(configuration, KeyProtectionOptions.Section);
        var options = configuration.GetSection(KeyProtectionOptions.Section).Get<KeyProtectionOptions>() ?? new();
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            return builder;
        }

        // A certificate that cannot be used is left to the options validator, which stops start-up naming the setting.
        var certificate = Load(options).Certificate;
        return certificate is null ? builder : builder.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }

    public static (X509Certificate2? Certificate, string? Error) Load(KeyProtectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.CertificatePath ?? "";
        if (!File.Exists(path))
        {
            return (null, $"DataProtection__CertificatePath: there is no file at {path}");
        }

        if (X509Certificate2.GetCertContentType(path) != X509ContentType.Pkcs12)
        {
            return (null, "DataProtection__CertificatePath must be a PKCS#12 (.pfx) file holding the certificate and its private key");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, options.CertificatePassword);
        }
        catch (CryptographicException)
        {
            return (null, "DataProtection__CertificatePassword does not open the file at DataProtection__CertificatePath");
        }

        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            return (null, "DataProtection__CertificatePath must hold the certificate's private key, which decrypts the keys");
        }

        return (certificate, null);
    }
}
