using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Petitions.Web.Domain.Privacy;
using Xunit.Abstractions;

namespace Petitions.Tests.Privacy;

public sealed class SignerProtectionTests(ITestOutputHelper output)
{
    private static readonly byte[] AliceKey = NewKey();

    [Theory]
    [InlineData("Ali Rezaei")]
    [InlineData("علی رضایی")]
    [InlineData("Zoë 🌍 Martin")]
    [InlineData("")]
    public void Encrypt_ThenDecrypt_GivesTheTextBack(string text)
    {
        using var protection = Protection(NewKey());
        var context = Context(ProtectedColumns.FullName);

        var sealedText = protection.Encrypt(text, context);

        Assert.Equal(text, protection.Decrypt(sealedText, context));
        Assert.Equal(SignerProtection.Overhead + Encoding.UTF8.GetByteCount(text), sealedText.Length);
        Assert.Equal(42, SignerProtection.Overhead);
        Assert.Equal([SignerProtection.FormatVersion, protection.CurrentKeyId], sealedText[..2]);
    }

    [Fact]
    public void Encrypt_LongText_RoundTripsAndHidesIt()
    {
        using var protection = Protection(NewKey());
        var reason = string.Concat(Enumerable.Repeat("Because my family's safety matters. ", 200));
        var context = Context(ProtectedColumns.Reason);

        var first = protection.Encrypt(reason, context);
        var second = protection.Encrypt(reason, context);

        Assert.Equal(reason, protection.Decrypt(first, context));
        Assert.NotEqual(first, second);
        Assert.Equal(-1, first.AsSpan().IndexOf("family"u8));
    }

    [Fact]
    public void Decrypt_AnyChangedByte_Throws()
    {
        using var protection = Protection(NewKey());
        var context = Context(ProtectedColumns.FullName);
        var sealedText = protection.Encrypt("Maryam", context);

        for (var i = 0; i < sealedText.Length; i++)
        {
            var tampered = (byte[])sealedText.Clone();
            tampered[i] ^= 0x01;
            Assert.Throws<ProtectedDataException>(() => protection.Decrypt(tampered, context));
        }

        Assert.Throws<ProtectedDataException>(() => protection.Decrypt(sealedText[..^1], context));
        Assert.Throws<ProtectedDataException>(() => protection.Decrypt(sealedText[..10], context));
        Assert.Throws<ProtectedDataException>(() => protection.Decrypt([.. sealedText, 0], context));
    }

    [Fact]
    public void Decrypt_ValueMovedToAnotherRowOrColumn_Throws()
    {
        using var protection = Protection(NewKey());
        var email = protection.EmailKey("maryam@example.org");
        var sealedText = protection.Encrypt("Maryam", ProtectedColumns.SignatureField(ProtectedColumns.FullName, 7, email));

        var otherSigner = ProtectedColumns.SignatureField(ProtectedColumns.FullName, 7, protection.EmailKey("ali@example.org"));
        var otherPetition = ProtectedColumns.SignatureField(ProtectedColumns.FullName, 8, email);
        var otherColumn = ProtectedColumns.SignatureField(ProtectedColumns.Reason, 7, email);

        Assert.Equal("Maryam", protection.Decrypt(sealedText, ProtectedColumns.SignatureField(ProtectedColumns.FullName, 7, email)));
        var error = Assert.Throws<ProtectedDataException>(() => protection.Decrypt(sealedText, otherSigner));
        Assert.Contains("moved to another row or column", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Maryam", error.Message, StringComparison.Ordinal);
        Assert.Throws<ProtectedDataException>(() => protection.Decrypt(sealedText, otherPetition));
        Assert.Throws<ProtectedDataException>(() => protection.Decrypt(sealedText, otherColumn));
        Assert.Throws<ProtectedDataException>(() => protection.Decrypt(sealedText, []));
    }

    [Fact]
    public void Decrypt_WithAnotherKey_Throws()
    {
        var context = Context(ProtectedColumns.Email);
        using var alice = Protection(AliceKey);
        var sealedText = alice.Encrypt("maryam@example.org", context);
        var other = KeyWithId(alice.CurrentKeyId, different: true);
        using var stranger = Protection(other);

        var error = Assert.Throws<ProtectedDataException>(() => stranger.Decrypt(sealedText, context));
        Assert.Contains("key id", error.Message, StringComparison.Ordinal);

        // Even a key that happens to share the id byte cannot open it.
        using var sameId = Protection(KeyWithId(alice.CurrentKeyId, different: false));
        Assert.Throws<ProtectedDataException>(() => sameId.Decrypt(sealedText, context));
    }

    [Fact]
    public void Rotation_PreviousKeysStillDecrypt_NewValuesUseTheNewKey()
    {
        var context = Context(ProtectedColumns.PostcodeOrCity);
        var oldKey = NewKey();
        using var before = Protection(oldKey);
        var newKey = KeyWithId(before.CurrentKeyId, different: true);
        var oldValue = before.Encrypt("CB1 2AB", context);

        using var after = Protection(newKey, oldKey);
        var newValue = after.Encrypt("CB1 3CD", context);

        Assert.Equal("CB1 2AB", after.Decrypt(oldValue, context));
        Assert.Equal("CB1 3CD", after.Decrypt(newValue, context));
        Assert.False(after.IsCurrent(oldValue));
        Assert.True(after.IsCurrent(newValue));
        Assert.NotEqual(before.CurrentKeyId, after.CurrentKeyId);
        Assert.Throws<ProtectedDataException>(() => before.Decrypt(newValue, context));
        using var retired = Protection(newKey);
        Assert.Throws<ProtectedDataException>(() => retired.Decrypt(oldValue, context));
    }

    [Fact]
    public void Rotation_KeysWhoseIdsCollide_BothStillDecrypt()
    {
        var context = Context(ProtectedColumns.FullName);
        var oldKey = NewKey();
        using var before = Protection(oldKey);
        var collidingKey = KeyWithId(before.CurrentKeyId, different: false);
        var oldValue = before.Encrypt("Ali", context);

        using var after = Protection(collidingKey, oldKey);
        var newValue = after.Encrypt("Reza", context);

        Assert.Equal(before.CurrentKeyId, after.CurrentKeyId);
        Assert.Equal("Ali", after.Decrypt(oldValue, context));
        Assert.Equal("Reza", after.Decrypt(newValue, context));
    }

    [Fact]
    public void EmailKey_IsStablePerKeyAndAddress_AndMeaninglessWithoutTheKey()
    {
        var key = NewKey();
        using var first = Protection(key);
        using var second = Protection(key);
        using var other = Protection(NewKey());
        const string address = "maryam@example.org";

        var emailKey = first.EmailKey(address);

        Assert.Equal(SignerProtection.EmailKeySize, emailKey.Length);
        Assert.Equal(emailKey, second.EmailKey(address));
        Assert.NotEqual(emailKey, first.EmailKey("maryam2@example.org"));
        Assert.NotEqual(emailKey, other.EmailKey(address));
        // Derived under its own label: neither the master key's own HMAC nor a plain hash of the address.
        Assert.NotEqual(emailKey, HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(address)));
        Assert.NotEqual(emailKey, SHA256.HashData(Encoding.UTF8.GetBytes(address)));
        Assert.Null(first.EmailKeyNullable(null));
    }

    [Fact]
    public void EmailKeys_DuringARotation_ListTheCurrentKeyFirstThenEachPreviousOne()
    {
        var oldKey = NewKey();
        var newKey = NewKey();
        using var before = Protection(oldKey);
        using var after = Protection(newKey, oldKey);
        const string address = "ali@example.org";

        Assert.Equal([after.EmailKey(address), before.EmailKey(address)], after.EmailKeys(address));
        Assert.NotEqual(before.EmailKey(address), after.EmailKey(address));
    }

    [Fact]
    public void NullableHelpers_MapNullToNull()
    {
        using var protection = Protection(NewKey());
        var context = Context(ProtectedColumns.Reason);

        Assert.Null(protection.EncryptNullable(null, context));
        Assert.Null(protection.DecryptNullable(null, context));
        Assert.Equal("why", protection.DecryptNullable(protection.EncryptNullable("why", context), context));
    }

    [Fact]
    public void SignatureField_BindsColumnPetitionAndEmailKey()
    {
        var emailKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var context = ProtectedColumns.SignatureField(ProtectedColumns.FullName, 0x0102, emailKey);

        Assert.Equal([.. "signatures.full_name"u8, 0, 0, 0, 0, 0, 0, 0, 1, 2, .. emailKey], context);
        Assert.Throws<ArgumentException>(() => ProtectedColumns.SignatureField(ProtectedColumns.FullName, 1, emailKey.AsSpan(0, 16).ToArray()));
    }

    [Fact]
    public void Constructor_WithoutAKey_SaysHowToMakeOne()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new SignerProtection(Options.Create(new ProtectionOptions())));
        Assert.Contains("openssl rand -base64 32", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not base64!", "", "Protection__Key must be the base64 of 32 random bytes; generate one with: openssl rand -base64 32")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==", "", "Protection__Key must be the base64 of 32 random bytes; generate one with: openssl rand -base64 32")]
    [InlineData("", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "Protection__Key is required when Protection__PreviousKeys is set: previous keys only decrypt, the current key encrypts")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=,short", "Protection__PreviousKeys must be base64 keys of 32 bytes each, separated by commas")]
    public void Validator_BadSettings_NameTheSettingAndNeverEchoTheKey(string key, string previous, string message)
    {
        var result = new ProtectionOptionsValidator().Validate(new ProtectionOptions { Key = key, PreviousKeys = previous });

        Assert.Equal([message], result.Errors.Select(e => e.ErrorMessage));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "")]
    [InlineData("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", " ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8= , AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")]
    public void Validator_NoKeyOrGoodKeys_Passes(string? key, string previous)
    {
        Assert.True(new ProtectionOptionsValidator().Validate(new ProtectionOptions { Key = key, PreviousKeys = previous }).IsValid);
    }

    /// <summary>Not a timing assertion: it prints the rates for the report, and checks every value came back.</summary>
    [Fact]
    public void Throughput_IsPrinted()
    {
        using var protection = Protection(NewKey());
        const int count = 100_000;
        var names = Enumerable.Range(0, count).Select(i => $"Signer number {i}").ToArray();
        var emails = Enumerable.Range(0, count).Select(i => $"signer{i}@example.org").ToArray();
        var context = Context(ProtectedColumns.FullName);
        var sealedNames = new byte[count][];

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            sealedNames[i] = protection.Encrypt(names[i], context);
        }

        var encrypt = clock.Elapsed;
        clock.Restart();
        var opened = sealedNames.Select(s => protection.Decrypt(s, context)).ToArray();
        var decrypt = clock.Elapsed;
        clock.Restart();
        var emailKeys = emails.Select(protection.EmailKey).ToArray();
        var hashing = clock.Elapsed;

        Assert.Equal(names, opened);
        Assert.Equal(count, emailKeys.Select(Convert.ToHexString).Distinct().Count());
        output.WriteLine($"encrypt {count / encrypt.TotalSeconds:N0}/s, decrypt {count / decrypt.TotalSeconds:N0}/s, email key {count / hashing.TotalSeconds:N0}/s");
    }

    private static SignerProtection Protection(byte[] key, params byte[][] previous) =>
        new(Options.Create(new ProtectionOptions
        {
            Key = Convert.ToBase64String(key),
            PreviousKeys = string.Join(',', previous.Select(Convert.ToBase64String)),
        }));

    private static byte[] NewKey() => RandomNumberGenerator.GetBytes(ProtectionOptions.KeySize);

    private static byte[] Context(string column) =>
        ProtectedColumns.SignatureField(column, 42, SHA256.HashData(Encoding.UTF8.GetBytes("context")));

    /// <summary>A fresh key whose id byte differs from, or equals, <paramref name="id"/> (1 in 256 keys collide).</summary>
    private static byte[] KeyWithId(byte id, bool different)
    {
        while (true)
        {
            var key = NewKey();
            using var protection = Protection(key);
            if ((protection.CurrentKeyId != id) == different)
            {
                return key;
            }
        }
    }
}
