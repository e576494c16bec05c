// Helpers shared by the heap engine tests: committed fixture snapshots (gzipped) and layout rewrites.
import { gunzipSync } from 'node:zlib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'heap');

/** Expected Summary rows produced by Chrome DevTools' own engine (the oracle) for a fixture. */
export interface ExpectedSummary {
  nodeCount: number;
  edgeCount: number;
  totalSelfSize: number;
  classes: ExpectedClassRow[];
  /** DevTools' getStatistics(). */
  statistics: {
    total: number;
    v8heap: { total: number; code: number; strings: number; jsArrays: number; system: number };
    native: { total: number; typedArrays: number };
  };
  /** aggregatesWithFilter per DevTools filter name (duplicatedStrings, objectsRetainedByContexts, …). */
  filters: Record<string, ExpectedClassRow[]>;
  /** getDuplicateStrings(), value cut to 100 characters. */
  duplicateStrings: { value: string; count: number; totalSelfSize: number; totalRetainedSize: number }[];
  droppedByClassKeyCollision: {
    publicKey: string;
    name: string;
    count: number;
    self: number;
    retained: number;
    distance: number;
  }[];
}

/** One Summary row as the oracle prints it. */
export interface ExpectedClassRow {
  name: string;
  key: string;
  count: number;
  self: number;
  retained: number;
  distance: number;
}

/** The raw bytes of a committed fixture snapshot (stored gzipped). */
export function fixtureBytes(name: string): Buffer {
  return gunzipSync(readFileSync(path.join(FIXTURES, `${name}.heapsnapshot.gz`)));
}

/** Writes a fixture (or any bytes) to a temporary file and returns its path. */
export function tempSnapshot(bytes: Buffer | string, name = 'fixture.heapsnapshot'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'memmon-heap-'));
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** The oracle's expected summary for a fixture. */
export function expected(name: string): ExpectedSummary {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8')) as ExpectedSummary;
}

/** Rewrites a 7-field snapshot (with `detachedness`) into the older 6-field layout. */
export function toSixFieldLayout(bytes: Buffer): Buffer {
  const s = JSON.parse(bytes.toString('utf8'));
  const meta = s.snapshot.meta;
  const drop = meta.node_fields.indexOf('detachedness');
  if (drop < 0) return bytes;
  const width = meta.node_fields.length;
  meta.node_fields.splice(drop, 1);
  meta.node_types.splice(drop, 1);
  s.nodes = s.nodes.filter((_: number, i: number) => i % width !== drop);
  const edgeWidth = meta.edge_fields.length;
  const toNode = meta.edge_fields.indexOf('to_node');
  s.edges = s.edges.map((v: number, i: number) => (i % edgeWidth === toNode ? (v / width) * (width - 1) : v));
  const locWidth = meta.location_fields.length;
  const objectIndex = meta.location_fields.indexOf('object_index');
  s.locations = s.locations.map((v: number, i: number) =>
    i % locWidth === objectIndex ? (v / width) * (width - 1) : v,
  );
  if (s.snapshot.root_index) s.snapshot.root_index = (s.snapshot.root_index / width) * (width - 1);
  return Buffer.from(JSON.stringify(s));
}

/** Adds an unknown extra node field (DevTools and we must ignore it). */
export function withExtraNodeField(bytes: Buffer): Buffer {
  const s = JSON.parse(bytes.toString('utf8'));
  const meta = s.snapshot.meta;
  const width = meta.node_fields.length;
  meta.node_fields.push('future_field');
  meta.node_types.push('number');
  const nodes: number[] = [];
  for (let i = 0; i < s.nodes.length; i += width) nodes.push(...s.nodes.slice(i, i + width), 7);
  s.nodes = nodes;
  const edgeWidth = meta.edge_fields.length;
  const toNode = meta.edge_fields.indexOf('to_node');
  s.edges = s.edges.map((v: number, i: number) => (i % edgeWidth === toNode ? (v / width) * (width + 1) : v));
  const locWidth = meta.location_fields.length;
  const objectIndex = meta.location_fields.indexOf('object_index');
  s.locations = s.locations.map((v: number, i: number) =>
    i % locWidth === objectIndex ? (v / width) * (width + 1) : v,
  );
  if (s.snapshot.root_index) s.snapshot.root_index = (s.snapshot.root_index / width) * (width + 1);
  return Buffer.from(JSON.stringify(s));
}
