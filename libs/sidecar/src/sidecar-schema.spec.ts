import { JobStage, JobState } from '@heimdex/db';
import {
  buildSidecar,
  loadSidecarSchema,
  SIDECAR_MODEL_FEATURES,
  SIDECAR_SCHEMA_ID,
  SIDECAR_STAGE_NAMES,
  SIDECAR_STAGE_STATES,
  SIDECAR_TAG_SOURCES,
  sidecarSchemaPath,
  validateSidecar,
  type Sidecar,
} from '@heimdex/sidecar';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareInput, fullInput, GENERATED_AT } from '../test/sidecar-input.fixture';

/** A built sidecar as plain JSON, free to be broken by a test. */
function builtDoc(): Sidecar {
  return JSON.parse(JSON.stringify(buildSidecar(fullInput(), GENERATED_AT))) as Sidecar;
}

function errorsOf(doc: unknown): string[] {
  const result = validateSidecar(doc);
  if (result.ok) throw new Error('expected the document to fail validation');
  return result.errors;
}

describe('validateSidecar', () => {
  it('accepts a built sidecar, with everything filled in and with nothing', () => {
    expect(validateSidecar(buildSidecar(fullInput(), GENERATED_AT))).toEqual({ ok: true });
    expect(validateSidecar(buildSidecar(bareInput(), GENERATED_AT))).toEqual({ ok: true });
  });

  it('rejects a missing model field', () => {
    const doc = builtDoc();
    const models: Partial<Sidecar['models']> = doc.models;
    delete models.ocr;
    expect(errorsOf(doc)).toEqual(["/models must have required property 'ocr'"]);
  });

  it('rejects a model without a version on a derived field', () => {
    const doc = builtDoc();
    (doc.scenes[0].tags[0] as { model: unknown }).model = { name: 'clip-vit-b32' };
    expect(errorsOf(doc)).toEqual(["/scenes/0/tags/0/model must have required property 'version'"]);
  });

  it('rejects a stage name the pipeline does not have', () => {
    const doc = builtDoc();
    (doc.stages[0] as { stage: string }).stage = 'transcode';
    expect(errorsOf(doc)).toEqual([`/stages/0/stage must be one of ${SIDECAR_STAGE_NAMES.join(', ')} (got "transcode")`]);
  });

  it('rejects negative times wherever they are', () => {
    const doc = builtDoc();
    doc.scenes[0].startS = -1;
    doc.transcript.segments[1].words[0].endS = -0.5;
    expect(errorsOf(doc)).toEqual(['/transcript/segments/1/words/0/endS must be >= 0 (got -0.5)', '/scenes/0/startS must be >= 0 (got -1)']);
  });

  it('rejects unknown properties, an unknown tag source, a wrong type and a wrong schema id', () => {
    const doc = builtDoc();
    Object.assign(doc.video, { storageKey: 'videos/x.mp4' });
    (doc.scenes[0].tags[0] as { source: string }).source = 'vibes';
    (doc.scenes[0].embeddings as { text: unknown }).text = 384;
    (doc as { $schema: string }).$schema = 'https://example.com/other.json';
    expect(errorsOf(doc)).toEqual([
      `/$schema must be "${SIDECAR_SCHEMA_ID}" (got "https://example.com/other.json")`,
      "/video has unknown property 'storageKey'",
      `/scenes/0/tags/0/source must be one of ${SIDECAR_TAG_SOURCES.join(', ')} (got "vibes")`,
      '/scenes/0/embeddings/text must be object or null (got 384)',
    ]);
  });

  it('rejects what is not a sidecar at all', () => {
    expect(errorsOf(null)).toEqual(['(document) must be object (got null)']);
    expect(errorsOf({})).toContain("(document) must have required property 'schemaVersion'");
  });
});

describe('sidecar schema file', () => {
  const schema = loadSidecarSchema() as {
    $id: string;
    properties: { models: { required: string[]; properties: Record<string, unknown> } };
    $defs: { stage: { properties: { stage: { enum: string[] }; state: { enum: string[] } } }; tag: { properties: { source: { enum: string[] } } } };
  };

  it('names the same stages, states, features and tag sources as the types', () => {
    expect(schema.$id).toBe(SIDECAR_SCHEMA_ID);
    expect(schema.$defs.stage.properties.stage.enum).toEqual([...SIDECAR_STAGE_NAMES]);
    expect(schema.$defs.stage.properties.state.enum).toEqual([...SIDECAR_STAGE_STATES]);
    expect(schema.$defs.tag.properties.source.enum).toEqual([...SIDECAR_TAG_SOURCES]);
    expect(Object.keys(schema.properties.models.properties)).toEqual([...SIDECAR_MODEL_FEATURES]);
    // Features added in 1.1 (objects, moderation, language) are optional, so 1.0 documents still validate.
    expect(schema.properties.models.required).toEqual(SIDECAR_MODEL_FEATURES.slice(0, 6));
  });

  it('follows the database: every job stage and job state, in the same order', () => {
    expect([...SIDECAR_STAGE_NAMES]).toEqual(Object.values(JobStage));
    expect([...SIDECAR_STAGE_STATES]).toEqual(Object.values(JobState));
  });

  it("is found from a compiled file's folder by walking up to Heimdex's package.json", () => {
    const root = mkdtempSync(join(tmpdir(), 'sidecar-root-'));
    try {
      writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'heimdex' }));
      const dependency = join(root, 'dist', 'libs', 'sidecar', 'src');
      mkdirSync(dependency, { recursive: true });
      // A package.json of another name on the way up is not the root.
      writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ name: 'something-else' }));
      expect(sidecarSchemaPath(dependency)).toBe(join(root, 'schemas', 'sidecar.v1.schema.json'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('is not found outside a Heimdex checkout', () => {
    const outside = mkdtempSync(join(tmpdir(), 'sidecar-outside-'));
    try {
      expect(() => sidecarSchemaPath(outside)).toThrow(/package\.json not found/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
