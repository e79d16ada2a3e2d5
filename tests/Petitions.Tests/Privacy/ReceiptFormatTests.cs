using System.Text;
using System.Text.RegularExpressions;
using Petitions.Web.Domain.Privacy;

namespace Petitions.Tests.Privacy;

/// <summary>docs/receipts.md is the format's definition for outsiders: its worked example and its script must match the code.</summary>
public sealed partial class ReceiptFormatTests
{
    [Fact]
    public void WorkedExample_InTheDoc_MatchesTheCode()
    {
        var doc = File.ReadAllText(PrivacyFiles.ReceiptsDoc);
        var example = WorkedExample.Build();
        var tree = example.Tree;
        string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

        for (var i = 0; i < 3; i++)
        {
            Assert.Contains($"leaf {i} input: {Hex(MerkleLeaf.Encode(example.Salts[i], example.Fields[i]))}\n", doc, StringComparison.Ordinal);
            Assert.Contains($"L{i}   {Hex(tree.Leaf(i))}\n", doc, StringComparison.Ordinal);
        }

        var n01 = MerkleTree.HashChildren(tree.Leaf(0), tree.Leaf(1));
        Assert.Contains($"N01  {Hex(n01)}\n", doc, StringComparison.Ordinal);
        Assert.Contains($"root {Hex(tree.Root)}\n", doc, StringComparison.Ordinal);
        Assert.Equal(MerkleTree.HashChildren(n01, tree.Leaf(2)), tree.Root);
        Assert.Equal([tree.Leaf(1).ToArray(), tree.Leaf(2).ToArray()], tree.Proof(0));
        Assert.Equal([tree.Leaf(0).ToArray(), tree.Leaf(2).ToArray()], tree.Proof(1));
        Assert.Equal([n01], tree.Proof(2));
        Assert.Equal(["name          0000000b 5a6fc3ab204d617274696e"], doc.Split('\n').Where(l => l.StartsWith("name ", StringComparison.Ordinal)));
        Assert.Contains("```json\n" + example.Receipt.ToJson().ReplaceLineEndings("\n") + "\n```", doc, StringComparison.Ordinal);
        Assert.Contains("```\n" + example.Receipt.ToCompact() + "\n```", doc, StringComparison.Ordinal);
        Assert.Equal(ReceiptCheck.Valid, example.Receipt.Verify(tree.Root, 3));
    }

    [Fact]
    public async Task PythonScript_InTheDoc_AcceptsGenuineReceiptsAndRejectsTamperedOnes()
    {
        var directory = Directory.CreateTempSubdirectory("receipts");
        try
        {
            var script = Path.Combine(directory.FullName, "check_receipt.py");
            await File.WriteAllTextAsync(script, PythonBlock().Match(await File.ReadAllTextAsync(PrivacyFiles.ReceiptsDoc)).Groups[1].Value);
            var example = WorkedExample.Build();
            var root = Convert.ToHexStringLower(example.Tree.Root);
            var json = Path.Combine(directory.FullName, "receipt.json");
            await File.WriteAllTextAsync(json, example.Receipt.ToJson(), new UTF8Encoding(false));
            var tampered = Path.Combine(directory.FullName, "tampered.json");
            await File.WriteAllTextAsync(tampered, example.Receipt.ToJson().Replace("Zoë", "Zoe", StringComparison.Ordinal), new UTF8Encoding(false));

            var (code, stdout, stderr) = await PrivacyFiles.RunAsync("python3", script, json, root, "3");
            Assert.True(code == 0, stdout + stderr);
            Assert.Equal("VALID: signature 102 (Zoë Martin), delivery 1 of example-petition", stdout.Trim());
            Assert.Equal(0, (await PrivacyFiles.RunAsync("python3", script, "https://petitions.example.org/verify#receipt=" + example.Receipt.ToCompact(), root, "3")).ExitCode);
            Assert.Equal(0, (await PrivacyFiles.RunAsync("python3", script, example.Receipt.ToCompact())).ExitCode);
            Assert.Equal(1, (await PrivacyFiles.RunAsync("python3", script, tampered)).ExitCode);
            Assert.Equal(1, (await PrivacyFiles.RunAsync("python3", script, json, root, "4")).ExitCode);
            Assert.Equal(1, (await PrivacyFiles.RunAsync("python3", script, json, root.Replace('7', '8'), "3")).ExitCode);

            // Every position in an unbalanced tree, and a changed salt, index and proof step.
            var tree = SmallDelivery(37, out var salts, out var fields);
            foreach (var i in new[] { 0, 31, 32, 36 })
            {
                var receipt = MerkleReceipt.Create(tree, i, salts[i], fields[i], "small", "9", DateTimeOffset.UnixEpoch);
                var treeRoot = Convert.ToHexStringLower(tree.Root);
                Assert.Equal(0, (await PrivacyFiles.RunAsync("python3", script, receipt.ToCompact(), treeRoot, "37")).ExitCode);
                Assert.Equal(1, (await PrivacyFiles.RunAsync("python3", script, (receipt with { Salt = new byte[16] }).ToCompact())).ExitCode);
                Assert.Equal(1, (await PrivacyFiles.RunAsync("python3", script, (receipt with { LeafIndex = (i + 1) % 37 }).ToCompact())).ExitCode);
                Assert.Equal(1, (await PrivacyFiles.RunAsync("python3", script, (receipt with { Path = [new byte[32], .. receipt.Path.Skip(1)] }).ToCompact())).ExitCode);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void LeafFields_AreCanonical()
    {
        var fields = MerkleLeafFields.From(7, "Zoe\u0308", new DateTimeOffset(2026, 1, 2, 3, 4, 5, 999, TimeSpan.FromHours(-5)));

        Assert.Equal(new MerkleLeafFields("7", "Zo\u00eb", "2026-01-02T08:04:05Z"), fields);
        Assert.Equal("\ufffd", MerkleLeafFields.From(1, "\ud800", DateTimeOffset.UnixEpoch).Name);
        Assert.Equal(MerkleLeaf.Hash(new byte[16], fields), MerkleLeaf.Hash(new byte[16], MerkleLeafFields.From(7, "Zo\u00eb", new DateTimeOffset(2026, 1, 2, 8, 4, 5, TimeSpan.Zero))));
        Assert.Throws<ArgumentException>(() => MerkleLeaf.Hash(new byte[15], fields));
        Assert.Throws<ArgumentOutOfRangeException>(() => MerkleLeafFields.From(-1, "x", DateTimeOffset.UnixEpoch));
    }

    private static MerkleTree SmallDelivery(int count, out byte[][] salts, out MerkleLeafFields[] fields)
    {
        var builder = new MerkleTreeBuilder();
        salts = [.. Enumerable.Range(0, count).Select(_ => MerkleLeaf.NewSalt())];
        fields = [.. Enumerable.Range(0, count).Select(i => MerkleLeafFields.From(i + 1, $"Signer {i}", DateTimeOffset.UnixEpoch.AddDays(i)))];
        for (var i = 0; i < count; i++)
        {
            builder.Add(salts[i], fields[i]);
        }

        return builder.Build();
    }

    [GeneratedRegex("```python\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex PythonBlock();

    internal sealed record WorkedExample(MerkleTree Tree, byte[][] Salts, MerkleLeafFields[] Fields, MerkleReceipt Receipt)
    {
        public static WorkedExample Build()
        {
            byte[][] salts = [.. Enumerable.Range(0, 3).Select(leaf => Enumerable.Range(leaf * 16, 16).Select(b => (byte)b).ToArray())];
            MerkleLeafFields[] fields =
            [
                MerkleLeafFields.From(101, "Ali Rezaei", new DateTimeOffset(2026, 11, 20, 8, 15, 0, TimeSpan.Zero)),
                MerkleLeafFields.From(102, "Zoë Martin", new DateTimeOffset(2026, 11, 20, 9, 30, 5, 250, TimeSpan.Zero)),
                MerkleLeafFields.From(205, "مریم", new DateTimeOffset(2026, 11, 21, 21, 15, 59, TimeSpan.FromHours(3.5))),
            ];
            var builder = new MerkleTreeBuilder();
            for (var i = 0; i < 3; i++)
            {
                builder.Add(salts[i], fields[i]);
            }

            var tree = builder.Build();
            var receipt = MerkleReceipt.Create(tree, 1, salts[1], fields[1], "example-petition", "1", new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
            return new(tree, salts, fields, receipt);
        }
    }
}
