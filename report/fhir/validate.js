// Validates a FHIR R4 Bundle read from standard input, and every resource
// in it, against the R4 schema with the fhir package (FHIR.js). Prints each
// error and exits 1 when there is any; prints a count and exits 0 when all
// are valid.
'use strict';
const { Fhir } = require('fhir');

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const fhir = new Fhir();
  const bundle = JSON.parse(input);
  const resources = [bundle, ...(bundle.entry || []).map((e) => e.resource)];
  let errors = 0;
  for (const r of resources) {
    const result = fhir.validate(r, { errorOnUnexpected: true });
    for (const m of result.messages || []) {
      if (m.severity === 'error' || m.severity === 'fatal') {
        errors++;
        console.log(`${r.resourceType}/${r.id}: ${m.location}: ${m.message}`);
      }
    }
    if (!result.valid && !(result.messages || []).length) {
      errors++;
      console.log(`${r.resourceType}/${r.id}: not valid`);
    }
  }
  console.log(`${resources.length} resources checked, ${errors} errors`);
  process.exit(errors ? 1 : 0);
});
