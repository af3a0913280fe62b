// Parses an AsyncAPI document (with its $refs, relative to the file) with the reference parser and
// prints every diagnostic; exits 1 when any is an error. Usage: node asyncapi.mjs contracts/asyncapi.yaml
import { Parser, fromFile } from '@asyncapi/parser';

const severities = ['error', 'warning', 'info', 'hint'];
const { document, diagnostics } = await fromFile(new Parser(), process.argv[2]).parse();
for (const diagnostic of diagnostics) {
  console.log(`${severities[diagnostic.severity]} ${diagnostic.code} ${JSON.stringify(diagnostic.path)} ${diagnostic.message}`);
}
const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 0).length;
console.log(`${document ? 'parsed' : 'not parsed'}: ${errors} errors, ${diagnostics.length - errors} other diagnostics`);
process.exit(document && errors === 0 ? 0 : 1);
