import { builtinModules } from 'node:module';
import type { HeapAnalysis } from '../analyze/analysis';
import { edgeNameText } from '../analyze/nodeNames';

/** One property a program added to `globalThis` (a global variable), with what it keeps alive. */
export interface GlobalVariable {
  name: string;
  /** Snapshot id of the value. */
  id: number;
  retainedSize: number;
  selfSize: number;
  className: string;
}

/**
 * Properties the JavaScript language, V8, Node.js (18–24) and the web platform APIs Node exposes put on
 * `globalThis`. A newer runtime may add more: the names of the analysing runtime's own global object and Node's
 * built-in module names (globals in the REPL and `node -e`) count as built-in too.
 */
const KNOWN_BUILTINS = `
AbortController AbortSignal AggregateError Array ArrayBuffer AsyncDisposableStack AsyncIterator Atomics BigInt
BigInt64Array BigUint64Array Blob Boolean BroadcastChannel Buffer ByteLengthQueuingStrategy CloseEvent
CompressionStream CountQueuingStrategy Crypto CryptoKey CustomEvent DOMException DataView Date DecompressionStream
DisposableStack Error EvalError Event EventSource EventTarget File FinalizationRegistry Float16Array Float32Array
Float64Array FormData Function Headers Infinity Int16Array Int32Array Int8Array Intl Iterator JSON Map Math
MessageChannel MessageEvent MessagePort NaN Navigator Number Object Performance PerformanceEntry PerformanceMark
PerformanceMeasure PerformanceObserver PerformanceObserverEntryList PerformanceResourceTiming Promise Proxy
RangeError ReadableByteStreamController ReadableStream ReadableStreamBYOBReader ReadableStreamBYOBRequest
ReadableStreamDefaultController ReadableStreamDefaultReader ReferenceError Reflect RegExp Request Response Set
SharedArrayBuffer Storage String SubtleCrypto SuppressedError Symbol SyntaxError TextDecoder TextDecoderStream
TextEncoder TextEncoderStream TransformStream TransformStreamDefaultController TypeError URIError URL URLPattern
URLSearchParams Uint16Array Uint32Array Uint8Array Uint8ClampedArray WeakMap WeakRef WeakSet WebAssembly WebSocket
WritableStream WritableStreamDefaultController WritableStreamDefaultWriter __dirname __filename atob btoa
clearImmediate clearInterval clearTimeout console crypto decodeURI decodeURIComponent encodeURI encodeURIComponent
escape eval exports fetch gc global globalThis isFinite isNaN localStorage module navigator parseFloat parseInt
performance process queueMicrotask require sessionStorage setImmediate setInterval setTimeout structuredClone
undefined unescape __proto__ constructor
`;

let builtins: Set<string> | undefined;

/** Names that count as built-in globals (computed once). */
export function builtinGlobalNames(): Set<string> {
  builtins ??= new Set([
    ...KNOWN_BUILTINS.split(/\s+/).filter(Boolean),
    ...Object.getOwnPropertyNames(globalThis),
    ...builtinModules.filter((m) => !m.includes('/') && !m.startsWith('_')),
  ]);
  return builtins;
}

/**
 * The global variables a program added: the named, non-symbol properties of each global object (the targets of the
 * root's shortcut edges, as V8 tags user globals) that are not built-in, by retained size descending. Accessor
 * properties count with their getter/setter pair.
 */
export function globalVariables(analysis: HeapAnalysis): GlobalVariable[] {
  const { raw, tree, classes } = analysis;
  const { shortcut, property } = raw.layout.edgeType;
  const { firstEdge, edgeType, edgeTo, nodeId, nodeSelfSize } = raw;
  const known = builtinGlobalNames();
  const root = raw.rootOrdinal;
  const out: GlobalVariable[] = [];
  const seen = new Set<string>();
  for (let e = firstEdge[root]; e < firstEdge[root + 1]; e++) {
    if (edgeType[e] !== shortcut) continue;
    const global = edgeTo[e];
    const names = new Set<string>();
    for (let p = firstEdge[global]; p < firstEdge[global + 1]; p++)
      if (edgeType[p] === property) names.add(edgeNameText(raw, p));
    for (let p = firstEdge[global]; p < firstEdge[global + 1]; p++) {
      if (edgeType[p] !== property) continue;
      const name = edgeNameText(raw, p);
      // Symbol-keyed properties (`<symbol …>`) are Node's own bookkeeping, not variables; V8 also lists an
      // accessor's functions as `get NAME` / `set NAME` next to NAME itself.
      if (known.has(name) || name.startsWith('<symbol')) continue;
      const accessor = /^[gs]et (.+)$/.exec(name);
      if (accessor && names.has(accessor[1])) continue;
      const value = edgeTo[p];
      const key = `${name}\u0000${nodeId[value]}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({
        name,
        id: nodeId[value],
        retainedSize: tree.retainedSize[value],
        selfSize: nodeSelfSize[value],
        className: classes.names[classes.classOf[value]],
      });
    }
  }
  out.sort((a, b) => b.retainedSize - a.retainedSize || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return out;
}
