using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Hive.Testing;

/// <summary>
/// The AppHost parameters a Production fleet refuses to start without, made up for one run: self-signed
/// token certificates (base64 PKCS#12 under one password) and the cursor keys. Used by the Production
/// fleet tests and by the benchmarks that measure the fleet as it is deployed.
/// </summary>
public static class ProductionSecrets
{
    public static string[] AppHostArguments()
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        return
        [
            $"--Parameters:identity-signing-certificate={Certificate(X509KeyUsageFlags.DigitalSignature, password)}",
            $"--Parameters:identity-encryption-certificate={Certificate(X509KeyUsageFlags.KeyEncipherment, password)}",
            $"--Parameters:identity-certificate-password={password}",
            $"--Parameters:catalog-signing-key={Convert.ToHexString(RandomNumberGenerator.GetBytes(24))}",
            $"--Parameters:search-cursor-key={Convert.ToHexString(RandomNumberGenerator.GetBytes(24))}",
        ];
    }

    /// <summary>A self-signed certificate with its key, as base64 PKCS#12 under <paramref name="password"/>.</summary>
    private static string Certificate(X509KeyUsageFlags usage, string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=hive-production-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Convert.ToBase64String(certificate.Export(X509ContentType.Pkcs12, password));
    }
}
