// Run graphql-http's server audits against the GraphQL endpoint given as the first argument
// and print one line per audit; exit 1 unless every audit is "ok".
//
//   node audit/audit.mjs http://127.0.0.1:8000/graphql
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const results = await auditServer({ url });
for (const result of results) {
  console.log(`${result.status.padEnd(7)} ${result.id} ${result.name}`);
  if (result.status !== 'ok') console.log(`        ${result.reason}`);
}
const ok = results.filter((result) => result.status === 'ok').length;
console.log(`\n${ok} of ${results.length} ok`);
process.exit(ok === results.length ? 0 : 1);
