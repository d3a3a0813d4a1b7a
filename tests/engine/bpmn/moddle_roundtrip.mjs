// Load BPMN files the way bpmn-js does (bpmn-moddle + camunda-bpmn-moddle), save them, load again.
// Usage: node tests/engine/bpmn/moddle_roundtrip.mjs FILE.bpmn...
// Prints one JSON object per file and line: {file, error, warnings: [message], roundtrip_xml}.
// Always exits 0 once the files are read; tests/engine/bpmn/test_moddle.py does the asserting.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const camunda = require('camunda-bpmn-moddle/resources/camunda.json');

function messages(warnings, prefix = '') {
  return (warnings || []).map((warning) => prefix + String(warning.message || warning));
}

// moddle and moddle-xml report what they drop while saving (attributes with an unknown
// namespace prefix, unknown properties) through console.warn only: count those as warnings.
async function catchingConsoleWarn(sink, action) {
  const warn = console.warn;
  console.warn = (first) => sink.push('toXML: ' + String((first && first.message) || first));
  try {
    return await action();
  } finally {
    console.warn = warn;
  }
}

async function roundtrip(file) {
  const moddle = new BpmnModdle({ camunda });
  const result = { file, error: null, warnings: [], roundtrip_xml: null };
  try {
    const original = await moddle.fromXML(await readFile(file, 'utf8'));
    result.warnings.push(...messages(original.warnings));

    const { xml } = await catchingConsoleWarn(result.warnings, () =>
      moddle.toXML(original.rootElement, { format: true }),
    );
    result.roundtrip_xml = xml;

    const reread = await new BpmnModdle({ camunda }).fromXML(xml);
    result.warnings.push(...messages(reread.warnings, 'after round trip: '));
  } catch (err) {
    result.error = String(err.message || err);
    result.warnings.push(...messages(err.warnings));
  }
  return result;
}

for (const file of process.argv.slice(2)) {
  process.stdout.write(JSON.stringify(await roundtrip(file)) + '\n');
}
