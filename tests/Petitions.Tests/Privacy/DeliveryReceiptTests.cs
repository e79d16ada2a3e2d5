using System.Security.Cryptography;
using System.Text.Json;
using Petitions.Web.Domain.Privacy;

namespace Petitions.Tests.Privacy;

/// <summary>A delivery of 10,001 signatures, built once for the tests below.</summary>
public sealed class TenThousandSignatureDelivery
{
    public const int Count = 10_001;
    public const string Petition = "recognize-1988-iranian-massacre-as-crimes-against-humanity";
    public const string DeliveryId = "42";
    private static readonly string[] Names = ["Ali Rezaei", "مریم احمدی", "Zoe\u0308 Martin", "李小龙", "Сергей Иванов", "שרה כהן", "Jane O'Neil"];

    public TenThousandSignatureDelivery()
    {
        var deliveredAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        var builder = new MerkleTreeBuilder();
        var salts = new List<byte[]>();
        var fields = new List<MerkleLeafFields>();
        for (var i = 0; i < Count; i++)
        {
            var salt = MerkleLeaf.NewSalt();
            var signature = MerkleLeafFields.From(1000 + (3 * i), $"{Names[i % Names.Length]} {i}", deliveredAt.AddDays(-10).AddSeconds(37 * i).AddMilliseconds(i % 1000));
            Assert.Equal(i, builder.Add(salt, signature));
            salts.Add(salt);
            fields.Add(signature);
        }

        Tree = builder.Build();
        Receipts = [.. Enumerable.Range(0, Count).Select(i => MerkleReceipt.Create(Tree, i, salts[i], fields[i], Petition, DeliveryId, deliveredAt))];
    }

    public MerkleTree Tree { get; }

    public IReadOnlyList<MerkleReceipt> Receipts { get; }

    /// <summary>First and last leaves, both sides of every power of two, and a spread in between.</summary>
    public static IEnumerable<int> Sample()
    {
        var powers = Enumerable.Range(0, 14).Select(p => 1 << p).Where(p => p < Count).SelectMany(p => new[] { p - 1, p });
        return new[] { 0, Count - 1, Count - 2 }.Concat(powers).Concat(Enumerable.Range(0, 40).Select(i => i * 251)).Distinct().Order();
    }
}

public sealed class DeliveryReceiptTests(TenThousandSignatureDelivery delivery) : IClassFixture<TenThousandSignatureDelivery>
{
    [Fact]
    public void EveryReceipt_VerifiesAgainstThePublishedRootAndCount_AlsoAfterTheLinkAndJsonRoundTrip()
    {
        var root = delivery.Tree.Root;

        Assert.All(delivery.Receipts, r =>
        {
            Assert.Equal(ReceiptCheck.Valid, r.Verify(root, TenThousandSignatureDelivery.Count));
            Assert.Equal(ReceiptCheck.Valid, MerkleReceipt.FromCompact(r.ToCompact()).Verify(root, TenThousandSignatureDelivery.Count));
        });
        Assert.All(TenThousandSignatureDelivery.Sample(), i => Assert.Equal(ReceiptCheck.Valid, MerkleReceipt.FromJson(delivery.Receipts[i].ToJson()).Verify(root, TenThousandSignatureDelivery.Count)));
        Assert.Equal(Enumerable.Range(0, TenThousandSignatureDelivery.Count), delivery.Receipts.Select(r => (int)r.LeafIndex));
    }

    [Fact]
    public void TamperedReceipts_Fail()
    {
        var root = delivery.Tree.Root;
        const int count = TenThousandSignatureDelivery.Count;
        foreach (var i in TenThousandSignatureDelivery.Sample())
        {
            var r = delivery.Receipts[i];
            Assert.All(Tampered(r), t => Assert.Equal(ReceiptCheck.ProofFails, t.Receipt.Verify(root, count)));

            // A genuine receipt checked against another delivery's root or count.
            Assert.Equal(ReceiptCheck.NotThisDelivery, r.Verify(Flip(root, 0), count));
            Assert.Equal(ReceiptCheck.NotThisDelivery, r.Verify(root, count + 1));

            // A larger claimed tree can leave the path valid (RFC 6962 proofs do not fix the size); the published count catches it.
            Assert.NotEqual(ReceiptCheck.Valid, (r with { TreeSize = count + 1 }).Verify(root, count));
            Assert.NotEqual(ReceiptCheck.Valid, (r with { TreeSize = count - 1 }).Verify(root, count));
        }
    }

    [Fact]
    public async Task JavaScriptVerifier_AgreesWithTheServer_OnGenuineAndTamperedReceipts()
    {
        var root = Convert.ToHexStringLower(delivery.Tree.Root);
        var published = new { root, treeSize = TenThousandSignatureDelivery.Count };
        var cases = new List<(string Name, object Input, object Published, string Expected)>();
        foreach (var i in TenThousandSignatureDelivery.Sample())
        {
            var r = delivery.Receipts[i];
            cases.Add(($"{i} link", "https://petitions.example.org/verify#receipt=" + r.ToCompact(), published, "valid"));
            cases.Add(($"{i} compact", r.ToCompact(), published, "valid"));
            cases.Add(($"{i} json text", r.ToJson(), published, "valid"));
            cases.Add(($"{i} json object", JsonDocument.Parse(r.ToJson()).RootElement, published, "valid"));
            cases.AddRange(Tampered(r).Select(t => ($"{i} {t.What}", (object)t.Receipt.ToCompact(), (object)published, "proof-fails")));
            cases.Add(($"{i} other root", r.ToCompact(), new { root = Convert.ToHexStringLower(Flip(delivery.Tree.Root, 5)), treeSize = TenThousandSignatureDelivery.Count }, "not-this-delivery"));
            cases.Add(($"{i} other count", r.ToCompact(), new { root, treeSize = TenThousandSignatureDelivery.Count - 1 }, "not-this-delivery"));
            cases.Add(($"{i} cut short", r.ToCompact()[..^3], published, "malformed"));
        }

        cases.Add(("garbage", "not a receipt!", published, "malformed"));
        cases.Add(("empty json", "{}", published, "malformed"));

        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(cases.Select(c => new { name = c.Name, input = c.Input, published = c.Published })));
            var (exitCode, stdout, stderr) = await PrivacyFiles.RunAsync("node", PrivacyFiles.NodeRunner, PrivacyFiles.JsVerifier, file);

            Assert.True(exitCode == 0, stderr);
            var results = JsonSerializer.Deserialize<List<JsResult>>(stdout)!;
            Assert.Equal(cases.Select(c => (c.Name, c.Expected)), results.Select(r => (r.Name, r.Reason)));
            Assert.Equal(cases.Select(c => c.Expected == "valid"), results.Select(r => r.Ok));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void MalformedLinks_AreFormatErrors()
    {
        var compact = delivery.Receipts[7].ToCompact();
        var bytes = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(compact);
        string Encode(byte[] b) => Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(b);

        Assert.Throws<FormatException>(() => MerkleReceipt.FromCompact(compact[..^4]));
        Assert.Throws<FormatException>(() => MerkleReceipt.FromCompact(Encode([.. bytes, 0])));
        Assert.Throws<FormatException>(() => MerkleReceipt.FromCompact(Encode([2, .. bytes[1..]])));
        Assert.Throws<FormatException>(() => MerkleReceipt.FromCompact("!!!"));
        Assert.Throws<FormatException>(() => MerkleReceipt.FromCompact(""));
        Assert.Throws<FormatException>(() => MerkleReceipt.FromCompact(new string('A', 20_000)));
        Assert.Throws<FormatException>(() => MerkleReceipt.FromJson("{\"version\":1}"));
        Assert.Throws<FormatException>(() => MerkleReceipt.FromJson("[1,2"));
        Assert.Throws<FormatException>(() => MerkleReceipt.FromJson(delivery.Receipts[7].ToJson().Replace("\"leaf_index\": 7", "\"leaf_index\": 10001", StringComparison.Ordinal)));
    }

    /// <summary>One receipt with one thing changed: every field that is hashed, and every step of its proof.</summary>
    private static IEnumerable<(string What, MerkleReceipt Receipt)> Tampered(MerkleReceipt r)
    {
        yield return ("name", r with { Signature = r.Signature with { Name = r.Signature.Name + "x" } });
        yield return ("id", r with { Signature = r.Signature with { Id = r.Signature.Id + "0" } });
        yield return ("confirmed_at", r with { Signature = r.Signature with { ConfirmedAt = r.Signature.ConfirmedAt.Replace(":", "-", StringComparison.Ordinal) } });
        yield return ("salt", r with { Salt = Flip(r.Salt, 15) });
        yield return ("root", r with { Root = Flip(r.Root, 31) });
        yield return ("index+1", r with { LeafIndex = (r.LeafIndex + 1) % r.TreeSize });
        yield return ("index-1", r with { LeafIndex = (r.LeafIndex + r.TreeSize - 1) % r.TreeSize });
        yield return ("path shortened", r with { Path = r.Path.Skip(1).ToArray() });
        for (var step = 0; step < r.Path.Count; step++)
        {
            var path = r.Path.ToArray();
            path[step] = Flip(path[step], step);
            yield return ($"path step {step}", r with { Path = path });
        }
    }

    private static byte[] Flip(byte[] bytes, int index)
    {
        var copy = (byte[])bytes.Clone();
        copy[index] ^= 0x80;
        return copy;
    }

    private sealed record JsResult(
        [property: System.Text.Json.Serialization.JsonPropertyName("name")] string Name,
        [property: System.Text.Json.Serialization.JsonPropertyName("ok")] bool Ok,
        [property: System.Text.Json.Serialization.JsonPropertyName("reason")] string Reason);
}
