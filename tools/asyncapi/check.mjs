// Parse an AsyncAPI document with @asyncapi/parser (the reference parser): print every diagnostic,
// then one line per message (id, schemaFormat, headers declared, payload properties, examples);
// exit 1 on any error diagnostic.
import { Parser, fromFile } from "@asyncapi/parser";

const { document, diagnostics } = await fromFile(new Parser(), process.argv[2]).parse();
for (const d of diagnostics) console.log(`diagnostic ${d.severity} ${d.code}: ${d.message}`);
const errors = diagnostics.filter((d) => d.severity === 0).length;
if (!document || errors > 0) {
  console.log(`errors ${errors}`);
  process.exit(1);
}
for (const message of document.messages().all()) {
  const properties = Object.keys(message.payload()?.properties() ?? {}).length;
  const headers = Object.keys(message.headers()?.properties() ?? {}).length;
  console.log(
    `message ${message.id()} ${message.schemaFormat()} headers=${headers} payload=${properties} examples=${message.examples().length}`,
  );
}
console.log("errors 0");
