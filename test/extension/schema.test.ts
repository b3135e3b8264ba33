// The extension manifest (package.json) against the typed sources it must
// agree with: the adapter's launch arguments, the extension's settings
// table, its command and view ids, and the initial configuration. Reads the
// files only; no vscode needed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { LAUNCH_ARG_DESCRIPTIONS, LAUNCH_DEFAULTS, LAUNCH_LIMITS, resolveLaunchArgs } from '../../src/adapter/launchConfig';
import { Command, DEBUG_TYPE, View } from '../../src/extension/commandIds';
import { INITIAL_CONFIGURATION } from '../../src/extension/initialConfiguration';
import { SETTINGS } from '../../src/extension/settingsDefaults';
import { repoRoot } from '../support/fixtures';

interface JsonSchema {
  type?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  additionalProperties?: JsonSchema;
}
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string }[];
    configuration: { properties: Record<string, JsonSchema> };
    debuggers: { type: string; configurationAttributes: { attach: { properties: Record<string, JsonSchema> } }; initialConfigurations: unknown[]; configurationSnippets: { body: Record<string, unknown> }[] }[];
    views: Record<string, { id: string }[]>;
    walkthroughs: { steps: { media: { markdown?: string } }[] }[];
  };
}

const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const debuggerOf = () => {
  const d = manifest.contributes.debuggers.find((x) => x.type === DEBUG_TYPE);
  assert.ok(d, 'package.json contributes the keyhole debugger');
  return d;
};

test('the launch schema has exactly the adapter\'s launch arguments, each with the adapter\'s description', () => {
  const props = debuggerOf().configurationAttributes.attach.properties;
  assert.deepEqual(Object.keys(props).sort(), Object.keys(LAUNCH_ARG_DESCRIPTIONS).sort());
  for (const [key, description] of Object.entries(LAUNCH_ARG_DESCRIPTIONS)) {
    assert.equal(props[key]?.description, description, `description of "${key}"`);
  }
});

test('the launch schema\'s defaults, types and limits are the adapter\'s', () => {
  const props = debuggerOf().configurationAttributes.attach.properties;
  for (const [key, value] of Object.entries(LAUNCH_DEFAULTS)) assert.deepEqual(props[key]?.default, value, `default of "${key}"`);
  assert.equal(props['snapshotHistoryLimit']?.type, 'integer');
  assert.equal(props['snapshotHistoryLimit']?.minimum, 1);
  assert.equal(props['snapshotHistoryLimit']?.maximum, LAUNCH_LIMITS.maxSnapshotHistory);
  assert.deepEqual(
    [props['framesWithLocals']?.type, props['framesWithLocals']?.minimum, props['framesWithLocals']?.maximum, props['framesWithLocals']?.default],
    ['integer', 1, LAUNCH_LIMITS.maxFramesWithLocals, undefined],
    'framesWithLocals: no default in the schema (unset is the agent\'s setting)',
  );
  assert.equal(props['labels']?.additionalProperties?.type, 'string');
  for (const key of ['broker', 'service', 'tokenEnv', 'tokenFile', 'localRoot', 'remoteRoot']) assert.equal(props[key]?.type, 'string', `type of "${key}"`);
});

test('the initial configuration is the extension\'s and one the adapter accepts; the snippet has the same keys', () => {
  const d = debuggerOf();
  assert.deepEqual(d.initialConfigurations, [INITIAL_CONFIGURATION]);
  assert.equal(resolveLaunchArgs(d.initialConfigurations[0], '/ws').ok, true);
  const snippetKeys = Object.keys(d.configurationSnippets[0]?.body ?? {}).filter((k) => !['type', 'request', 'name'].includes(k));
  for (const k of snippetKeys) assert.ok(k in LAUNCH_ARG_DESCRIPTIONS, `snippet key "${k}" is a launch argument`);
});

test('every setting has its documented default and range from the settings table, and nothing else is contributed', () => {
  const props = manifest.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props).sort(), Object.keys(SETTINGS).sort());
  for (const [key, spec] of Object.entries(SETTINGS)) {
    assert.deepEqual(
      { type: props[key]?.type, default: props[key]?.default, minimum: props[key]?.minimum, maximum: props[key]?.maximum, description: props[key]?.description },
      { type: 'integer', default: spec.default, minimum: spec.minimum, maximum: spec.maximum, description: spec.description },
      key,
    );
  }
});

test('the manifest contributes exactly the commands and views the code registers', () => {
  assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(Command).sort());
  const views = Object.values(manifest.contributes.views).flat().map((v) => v.id);
  assert.deepEqual(views.sort(), Object.values(View).sort());
  assert.ok(manifest.activationEvents.includes(`onDebugResolve:${DEBUG_TYPE}`));
});

test('every walkthrough step\'s media file exists', () => {
  for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
    assert.ok(step.media.markdown, 'a markdown page');
    assert.doesNotThrow(() => readFileSync(join(repoRoot, step.media.markdown!)), step.media.markdown);
  }
});
