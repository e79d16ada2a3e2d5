using System.Diagnostics;
using System.Security.Cryptography;
using Petitions.Web.Domain.Privacy;
using Xunit.Abstractions;

namespace Petitions.Tests.Privacy;

public sealed class MerkleTreeTests(ITestOutputHelper output)
{
    [Fact]
    public void Tree_MatchesRfc6962_RootAndEveryProof_ForManySizes()
    {
        int[] sizes = [.. Enumerable.Range(0, 70), 100, 127, 128, 129, 257, 1000];
        foreach (var size in sizes)
        {
            var leaves = Enumerable.Range(0, size).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToList();
            var builder = new MerkleTreeBuilder();
            leaves.ForEach(l => builder.Add(l));
            var tree = builder.Build();

            Assert.Equal(Rfc6962.Root(leaves), tree.Root);
            for (var m = 0; m < size; m++)
            {
                var proof = tree.Proof(m);
                Assert.Equal(Rfc6962.Path(m, leaves), proof);
                Assert.True(MerkleTree.Verify(leaves[m], m, size, proof, tree.Root), $"leaf {m} of {size}");
                if (size <= 70)
                {
                    // The same path proves no other position, and no other leaf at this one.
                    Assert.All(Enumerable.Range(0, size).Where(other => other != m), other =>
                        Assert.False(MerkleTree.Verify(leaves[m], other, size, proof, tree.Root), $"leaf {m} as {other} of {size}"));
                    Assert.All(Enumerable.Range(0, size).Where(other => other != m), other =>
                        Assert.False(MerkleTree.Verify(leaves[other], m, size, proof, tree.Root)));
                }
            }
        }
    }

    [Fact]
    public void Tree_OddNodes_AreCarriedUpNotDuplicated()
    {
        var a = Leaf(1);
        var b = Leaf(2);
        var c = Leaf(3);

        var three = Build(a, b, c);
        var four = Build(a, b, c, c);

        Assert.Equal(MerkleTree.HashChildren(MerkleTree.HashChildren(a, b), c), three.Root);
        Assert.NotEqual(three.Root, four.Root);
        Assert.Equal([MerkleTree.HashChildren(a, b)], three.Proof(2));
        Assert.Equal(a, Build(a).Root);
        Assert.Empty(Build(a).Proof(0));
        Assert.Equal(SHA256.HashData([]), Build().Root);
    }

    [Fact]
    public void Verify_RejectsMalformedPaths()
    {
        var leaves = Enumerable.Range(0, 9).Select(Leaf).ToArray();
        var tree = Build(leaves);
        var proof = tree.Proof(4);

        Assert.True(MerkleTree.Verify(leaves[4], 4, 9, proof, tree.Root));
        Assert.False(MerkleTree.Verify(leaves[4], 4, 9, proof[..^1], tree.Root));
        Assert.False(MerkleTree.Verify(leaves[4], 4, 9, [.. proof, leaves[0]], tree.Root));
        Assert.False(MerkleTree.Verify(leaves[4], 4, 9, [proof[0][..31], .. proof[1..]], tree.Root));
        Assert.False(MerkleTree.Verify(leaves[4], 9, 9, proof, tree.Root));
        Assert.False(MerkleTree.Verify(leaves[4], -1, 9, proof, tree.Root));
        Assert.False(MerkleTree.Verify(leaves[4], 4, 9, [.. proof.Reverse()], tree.Root));
    }

    /// <summary>Not a timing assertion: the memory bound is the requirement; the time is printed for the report.</summary>
    [Fact]
    public void Tree_OfAMillionSignatures_AllocatesOnlyLeafHashesAndAFewUpperLevels_AndItsReceiptsFitInALink()
    {
        const int count = 1_000_000;
        var salt = new byte[MerkleLeaf.SaltSize];
        var confirmed = new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);
        var clock = Stopwatch.StartNew();
        long treeBytes = 0;

        var builder = new MerkleTreeBuilder();
        for (var i = 0; i < count; i++)
        {
            RandomNumberGenerator.Fill(salt);
            var leaf = MerkleLeaf.Hash(salt, MerkleLeafFields.From(i + 1, "Signer with a fairly long name " + i, confirmed.AddSeconds(i)));
            var before = GC.GetAllocatedBytesForCurrentThread();
            builder.Add(leaf);
            treeBytes += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var beforeBuild = GC.GetAllocatedBytesForCurrentThread();
        var tree = builder.Build();
        treeBytes += GC.GetAllocatedBytesForCurrentThread() - beforeBuild;
        var elapsed = clock.Elapsed;

        var receipt = MerkleReceipt.Create(tree, count - 1, salt, MerkleLeafFields.From(count, "Signer with a fairly long name " + (count - 1), confirmed.AddSeconds(count - 1)),
            "recognize-1988-iranian-massacre-as-crimes-against-humanity", "123456", confirmed);
        var compact = receipt.ToCompact();
        var longest = Enumerable.Range(0, 64).Select(i => tree.Proof(i * 15_000).Length).Max();

        Assert.Equal(count, tree.Count);
        Assert.InRange(treeBytes, 32_000_000, 40_000_000);
        Assert.Equal(ReceiptCheck.Valid, MerkleReceipt.FromCompact(compact).Verify(tree.Root, count));
        Assert.Equal(20, longest);
        Assert.InRange(compact.Length, 1, 1300);
        output.WriteLine($"{count:N0} leaves hashed and built in {elapsed.TotalSeconds:F2} s ({count / elapsed.TotalSeconds:N0} leaves/s); " +
            $"the builder and tree allocated {treeBytes / 1e6:F1} MB in all; a receipt link is {compact.Length} characters");
    }

    private static byte[] Leaf(int i) => SHA256.HashData(BitConverter.GetBytes(i));

    private static MerkleTree Build(params byte[][] leaves)
    {
        var builder = new MerkleTreeBuilder();
        foreach (var leaf in leaves)
        {
            builder.Add(leaf);
        }

        return builder.Build();
    }

    /// <summary>RFC 6962 §2.1 and §2.1.1 written out literally, as the reference the tree must match.</summary>
    private static class Rfc6962
    {
        public static byte[] Root(List<byte[]> d) => d.Count switch
        {
            0 => SHA256.HashData([]),
            1 => d[0],
            _ => MerkleTree.HashChildren(Root(d.Take(Split(d.Count)).ToList()), Root(d.Skip(Split(d.Count)).ToList())),
        };

        public static byte[][] Path(int m, List<byte[]> d)
        {
            if (d.Count <= 1)
            {
                return [];
            }

            var k = Split(d.Count);
            var left = d.Take(k).ToList();
            var right = d.Skip(k).ToList();
            return m < k ? [.. Path(m, left), Root(right)] : [.. Path(m - k, right), Root(left)];
        }

        private static int Split(int n)
        {
            var k = 1;
            while (k * 2 < n)
            {
                k *= 2;
            }

            return k;
        }
    }
}
