using System.Security.Cryptography;

namespace Petitions.Web.Domain.Privacy;

/// <summary>
/// Collects a delivery's leaf hashes in order (32 bytes each, never the signatures themselves) and builds the tree.
/// Leaves are kept in 64 KiB chunks, so a million of them take 32 MB with no large copies while growing.
/// </summary>
public sealed class MerkleTreeBuilder
{
    internal const int ChunkLeaves = 2048;
    private readonly List<byte[]> chunks = [];

    public int Count { get; private set; }

    /// <summary>Adds one leaf hash (see <see cref="MerkleLeaf.Hash"/>) and returns its index in the tree.</summary>
    public int Add(ReadOnlySpan<byte> leafHash)
    {
        if (leafHash.Length != MerkleTree.HashSize)
        {
            throw new ArgumentException($"A leaf hash is {MerkleTree.HashSize} bytes.", nameof(leafHash));
        }

        if (Count % ChunkLeaves == 0)
        {
            chunks.Add(new byte[ChunkLeaves * MerkleTree.HashSize]);
        }

        leafHash.CopyTo(chunks[^1].AsSpan(Count % ChunkLeaves * MerkleTree.HashSize));
        return Count++;
    }

    public int Add(ReadOnlySpan<byte> salt, MerkleLeafFields fields) => Add(MerkleLeaf.Hash(salt, fields));

    /// <summary>The tree over the leaves added so far; the builder must not be used afterwards.</summary>
    public MerkleTree Build() => new([.. chunks], Count);
}

/// <summary>
/// The Merkle tree of RFC 6962 (Certificate Transparency) over a delivery's leaves: an inner node is
/// <c>SHA-256(0x01 || left || right)</c>; a tree of n &gt; 1 leaves splits at the largest power of two k &lt; n, the
/// first k leaves on the left. Equivalently, built bottom-up, a level's odd last node is carried up unchanged (never
/// duplicated, so no two trees of different leaves share a root). The root of no leaves is SHA-256 of nothing.
/// </summary>
/// <remarks>
/// Node (level l, index i) is the hash of leaves [i·2^l, min((i+1)·2^l, n)). The nodes from level
/// <see cref="CachedLevel"/> up are kept (n/16 hashes); a proof's lower nodes are recomputed from at most 16 leaves.
/// </remarks>
public sealed class MerkleTree
{
    public const int HashSize = 32;
    public const byte NodePrefix = 0x01;
    private const int CachedLevel = 4;

    private readonly byte[][] leafChunks;
    private readonly byte[][] levels;

    internal MerkleTree(byte[][] leafChunks, int count)
    {
        this.leafChunks = leafChunks;
        Count = count;
        levels = BuildCachedLevels();
        Root = count == 0 ? SHA256.HashData(ReadOnlySpan<byte>.Empty) : levels[^1][..HashSize];
    }

    public int Count { get; }

    public byte[] Root { get; }

    public ReadOnlySpan<byte> Leaf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return leafChunks[index / MerkleTreeBuilder.ChunkLeaves].AsSpan(index % MerkleTreeBuilder.ChunkLeaves * HashSize, HashSize);
    }

    /// <summary>The audit path of leaf <paramref name="index"/>: its siblings from the bottom up, as RFC 6962 §2.1.1 defines.</summary>
    public byte[][] Proof(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        var path = new List<byte[]>();
        for (var level = 0; NodesAt(level) > 1; level++)
        {
            var sibling = (index >> level) ^ 1;
            if (sibling < NodesAt(level))
            {
                path.Add(Node(level, sibling));
            }
        }

        return [.. path];
    }

    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        var result = new byte[HashSize];
        HashChildren(left, right, result);
        return result;
    }

    /// <summary>Writes SHA-256(0x01 || left || right) to <paramref name="destination"/>, which may overlap the inputs.</summary>
    public static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[1 + (2 * HashSize)];
        input[0] = NodePrefix;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        SHA256.HashData(input, destination);
    }

    /// <summary>
    /// Whether <paramref name="path"/> leads from <paramref name="leafHash"/> at <paramref name="index"/> in a tree of
    /// <paramref name="treeSize"/> leaves to <paramref name="root"/> (RFC 9162 §2.1.3.2).
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> leafHash, long index, long treeSize, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(path);
        var computed = RootFromPath(leafHash, index, treeSize, path);
        return computed is not null && CryptographicOperations.FixedTimeEquals(computed, root);
    }

    /// <summary>The root that the path leads to, or null when the path cannot belong to that index and size.</summary>
    public static byte[]? RootFromPath(ReadOnlySpan<byte> leafHash, long index, long treeSize, IReadOnlyList<byte[]> path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (index < 0 || index >= treeSize || leafHash.Length != HashSize)
        {
            return null;
        }

        var fn = index;
        var sn = treeSize - 1;
        var node = leafHash.ToArray();
        foreach (var sibling in path)
        {
            if (sn == 0 || sibling is null || sibling.Length != HashSize)
            {
                return null;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                node = HashChildren(sibling, node);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                node = HashChildren(node, sibling);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 ? node : null;
    }

    private int NodesAt(int level) => Count == 0 ? 0 : ((Count - 1) >> level) + 1;

    private byte[] Node(int level, int index)
    {
        if (level >= CachedLevel)
        {
            return levels[level - CachedLevel].AsSpan(index * HashSize, HashSize).ToArray();
        }

        var result = new byte[HashSize];
        var start = index << level;
        SubtreeHash(start, Math.Min(start + (1 << level), Count), result);
        return result;
    }

    // The hash of leaves [start, end), at most 2^CachedLevel of them, built bottom-up in place without allocating.
    private void SubtreeHash(int start, int end, Span<byte> destination)
    {
        Span<byte> nodes = stackalloc byte[(1 << CachedLevel) * HashSize];
        var width = end - start;
        for (var i = 0; i < width; i++)
        {
            Leaf(start + i).CopyTo(nodes[(i * HashSize)..]);
        }

        for (; width > 1; width = (width + 1) / 2)
        {
            for (var j = 0; j < width / 2; j++)
            {
                HashChildren(nodes.Slice(2 * j * HashSize, HashSize), nodes.Slice(((2 * j) + 1) * HashSize, HashSize), nodes.Slice(j * HashSize, HashSize));
            }

            if (width % 2 == 1)
            {
                nodes.Slice((width - 1) * HashSize, HashSize).CopyTo(nodes[(width / 2 * HashSize)..]);
            }
        }

        nodes[..HashSize].CopyTo(destination);
    }

    private byte[][] BuildCachedLevels()
    {
        if (Count == 0)
        {
            return [];
        }

        var result = new List<byte[]>();
        var width = 1 << CachedLevel;
        var bottom = new byte[NodesAt(CachedLevel) * HashSize];
        for (var i = 0; i < NodesAt(CachedLevel); i++)
        {
            SubtreeHash(i * width, Math.Min((i + 1) * width, Count), bottom.AsSpan(i * HashSize, HashSize));
        }

        result.Add(bottom);
        while (result[^1].Length > HashSize)
        {
            var below = result[^1];
            var belowCount = below.Length / HashSize;
            var above = new byte[(belowCount + 1) / 2 * HashSize];
            for (var i = 0; i < belowCount / 2; i++)
            {
                HashChildren(below.AsSpan(2 * i * HashSize, HashSize), below.AsSpan(((2 * i) + 1) * HashSize, HashSize), above.AsSpan(i * HashSize, HashSize));
            }

            if (belowCount % 2 == 1)
            {
                below.AsSpan((belowCount - 1) * HashSize, HashSize).CopyTo(above.AsSpan(belowCount / 2 * HashSize));
            }

            result.Add(above);
        }

        return [.. result];
    }
}
