// Checks a signature receipt (docs/receipts.md) against a delivery's published root, in the browser, with no
// dependencies: SHA-256 comes from SubtleCrypto, which browsers offer on https pages and on localhost only.
//
//   import { verifyReceipt } from '/js/verify-receipt.js';
//   const result = await verifyReceipt(linkOrJson, { root: '<published root hex>', treeSize: 10001 });
//   // result.ok: true or false; result.reason: 'valid', 'proof-fails', 'not-this-delivery', 'malformed' or
//   // 'unsupported'; result.receipt: the receipt as JSON (hex strings), to show what was checked.

const VERSION = 1;
const HASH_SIZE = 32;
const SALT_SIZE = 16;
const MAX_PATH = 64;
const encoder = new TextEncoder();

/**
 * @param {string|object} input a receipt link or its compact part, a JSON receipt as text, or a parsed JSON receipt
 * @param {{root: string, treeSize: number}} [published] the root (hex) and count published for the delivery
 */
export async function verifyReceipt(input, published) {
    let receipt;
    try {
        receipt = parse(input);
    } catch (error) {
        return { ok: false, reason: 'malformed', message: error.message };
    }
    const subtle = globalThis.crypto && globalThis.crypto.subtle;
    if (!subtle) {
        return { ok: false, reason: 'unsupported', message: 'This browser cannot compute SHA-256 on this page.', receipt };
    }

    const sha256 = async (...parts) => new Uint8Array(await subtle.digest('SHA-256', concat(parts)));
    const signature = receipt.signature;
    let node = await sha256(Uint8Array.of(0), fromHex(receipt.salt), field(signature.id), field(signature.name), field(signature.confirmed_at));

    // RFC 9162, section 2.1.3.2: walk up from the leaf; fn and sn are the node's and the last node's index per level.
    let fn = receipt.leaf_index;
    let sn = receipt.tree_size - 1;
    for (const sibling of receipt.path.map(fromHex)) {
        if (sn === 0) {
            return { ok: false, reason: 'proof-fails', receipt };
        }
        if (fn % 2 === 1 || fn === sn) {
            node = await sha256(Uint8Array.of(1), sibling, node);
            while (fn % 2 === 0 && fn !== 0) {
                fn = Math.floor(fn / 2);
                sn = Math.floor(sn / 2);
            }
        } else {
            node = await sha256(Uint8Array.of(1), node, sibling);
        }
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
    }
    if (sn !== 0 || toHex(node) !== receipt.root) {
        return { ok: false, reason: 'proof-fails', receipt };
    }
    if (published && (String(published.root).toLowerCase() !== receipt.root || Number(published.treeSize) !== receipt.tree_size)) {
        return { ok: false, reason: 'not-this-delivery', receipt };
    }
    return { ok: true, reason: 'valid', receipt };
}

function parse(input) {
    if (typeof input === 'object' && input !== null) {
        return checked(input);
    }
    const text = String(input).trim();
    if (text.startsWith('{')) {
        return checked(JSON.parse(text));
    }
    // A whole link (…#receipt=…) or just the compact part: base64url has neither '#' nor '='.
    const fragment = text.slice(text.lastIndexOf('#') + 1);
    return fromCompact(fragment.slice(fragment.lastIndexOf('=') + 1));
}

function checked(receipt) {
    const isText = (value) => typeof value === 'string';
    const isHex = (value, size) => isText(value) && new RegExp('^[0-9a-f]{' + size * 2 + '}$').test(value);
    const s = receipt.signature;
    const valid = receipt.version === VERSION &&
        isText(receipt.petition) && isText(receipt.delivery) && isText(receipt.delivered_at) &&
        isHex(receipt.root, HASH_SIZE) && isHex(receipt.salt, SALT_SIZE) &&
        Number.isSafeInteger(receipt.tree_size) && Number.isSafeInteger(receipt.leaf_index) &&
        receipt.tree_size >= 1 && receipt.tree_size <= 0xffffffff && receipt.leaf_index >= 0 && receipt.leaf_index < receipt.tree_size &&
        s !== null && typeof s === 'object' && isText(s.id) && isText(s.name) && isText(s.confirmed_at) &&
        Array.isArray(receipt.path) && receipt.path.length <= MAX_PATH && receipt.path.every((p) => isHex(p, HASH_SIZE));
    if (!valid) {
        throw new Error('The receipt is missing a field or has one of the wrong form.');
    }
    return receipt;
}

function fromCompact(text) {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) {
        throw new Error('The receipt is not base64url.');
    }
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - text.length % 4) % 4));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const view = new DataView(bytes.buffer);
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    let offset = 0;
    const take = (count) => {
        if (count > bytes.length - offset) {
            throw new Error('The receipt is cut short.');
        }
        offset += count;
        return bytes.subarray(offset - count, offset);
    };
    const uint16 = () => view.getUint16(take(2).byteOffset);
    const uint32 = () => view.getUint32(take(4).byteOffset);
    const string = () => utf8.decode(take(uint16()));

    const version = take(1)[0];
    const receipt = { version, petition: string(), delivery: string(), delivered_at: string(), root: toHex(take(HASH_SIZE)) };
    receipt.tree_size = uint32();
    receipt.leaf_index = uint32();
    receipt.salt = toHex(take(SALT_SIZE));
    receipt.signature = { id: string(), name: string(), confirmed_at: string() };
    const pathLength = take(1)[0];
    receipt.path = Array.from({ length: pathLength }, () => toHex(take(HASH_SIZE)));
    if (offset !== bytes.length) {
        throw new Error('The receipt has bytes after its end.');
    }
    return checked(receipt);
}

function field(text) {
    const bytes = encoder.encode(text);
    const length = new Uint8Array(4);
    new DataView(length.buffer).setUint32(0, bytes.length);
    return concat([length, bytes]);
}

function concat(parts) {
    const result = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
        result.set(part, offset);
        offset += part.length;
    }
    return result;
}

function fromHex(hex) {
    return Uint8Array.from(hex.match(/../g) || [], (pair) => parseInt(pair, 16));
}

function toHex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
