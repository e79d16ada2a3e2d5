// The "Verify my signature" page: reads a receipt from the link's fragment (#receipt=…), which never reaches the
// server, and checks it here against the root the site publishes. The form still checks it on the server without this.
import { verifyReceipt } from './verify-receipt.js';

const box = document.getElementById('browser-result');
const field = document.getElementById('Receipt');

async function check(text) {
    box.hidden = false;
    box.className = 'verify-result';
    box.textContent = box.dataset.checking;
    const first = await verifyReceipt(text);
    if (first.reason === 'malformed' || first.reason === 'unsupported') {
        return show(false, box.dataset[first.reason]);
    }
    const query = new URLSearchParams({ petition: first.receipt.petition, delivery: first.receipt.delivery });
    const response = await fetch('/verify/published?' + query.toString(), { headers: { Accept: 'application/json' } });
    if (!response.ok) {
        return show(false, box.dataset.unknown);
    }
    const result = await verifyReceipt(first.receipt, await response.json());
    const key = { valid: 'valid', 'proof-fails': 'proofFails', 'not-this-delivery': 'notThisDelivery' }[result.reason] || 'malformed';
    const s = result.receipt.signature;
    show(result.ok, box.dataset[key] + ' ' + s.name + ' (#' + s.id + ')');
}

function show(ok, message) {
    box.className = 'verify-result ' + (ok ? 'verify-valid' : 'verify-invalid');
    box.textContent = message;
}

const hash = location.hash.startsWith('#receipt=') ? location.hash.slice('#receipt='.length) : '';
if (hash && field && !field.value) {
    field.value = location.origin + location.pathname + '#receipt=' + hash;
    check(hash).catch(() => show(false, box.dataset.unsupported));
}
field?.form?.addEventListener('input', () => { box.hidden = true; });
const button = document.getElementById('check-here');
if (button) {
    button.hidden = false;
}
button?.addEventListener('click', () => check(field.value).catch(() => show(false, box.dataset.unsupported)));
