// Runs src/Petitions.Web/wwwroot/js/verify-receipt.js under Node on the cases a C# test wrote:
//   node verify-receipts.mjs <verify-receipt.js> <cases.json>
// cases.json: [{ "name": "...", "input": <compact string, JSON text or JSON object>, "published": { "root", "treeSize" } }]
// Prints [{ "name", "ok", "reason" }] as JSON.
import { readFile } from 'node:fs/promises';

const [verifierPath, casesPath] = process.argv.slice(2);
// A data: URL is always an ES module, whatever package.json (there is none) says about .js files.
const source = await readFile(verifierPath, 'utf8');
const { verifyReceipt } = await import('data:text/javascript;base64,' + Buffer.from(source).toString('base64'));
const cases = JSON.parse(await readFile(casesPath, 'utf8'));
const results = [];
for (const c of cases) {
    const result = await verifyReceipt(c.input, c.published);
    results.push({ name: c.name, ok: result.ok, reason: result.reason });
}
process.stdout.write(JSON.stringify(results));
