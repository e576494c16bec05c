import type { RawHeapSnapshot } from '../rawSnapshot';
import { inferObjectShapes, type ShapeDefinition } from './objectShapes';

/** Summary classes: per node its class id; per class its display name and a key that is stable across snapshots. */
export interface ClassTable {
  classOf: Uint32Array;
  names: string[];
  keys: string[];
  /** The shape definitions plain objects were named by (DevTools' interface definitions), in priority order. */
  shapes: ShapeDefinition[];
}

/** Key used for closures; objects literally named "Function" get a different one (DevTools lets them collide). */
export const CLOSURE_CLASS_KEY = ',Function';

/**
 * DevTools' calculateObjectNames + classKeyInternal: hidden → (system), code → (compiled code), closure → Function,
 * regexp → RegExp, objects/natives → their constructor name (DOM-like "<div id=…>" shortened to "<div>"), plain
 * Objects → inferred shape names, anything else → "(type)". Objects with a script location are keyed by location
 * too, so same-named classes from different scripts stay apart. `classOf`: where to put each node's class (e.g. in
 * shared memory for the helper thread). `shapes`: another snapshot's shape definitions to name plain objects by
 * instead of this one's own (see diffSnapshots).
 */
export function assignClasses(
  raw: RawHeapSnapshot,
  scratch: Int32Array = new Int32Array(raw.nodeCount),
  classOf: Uint32Array = new Uint32Array(raw.nodeCount),
  shapes?: readonly ShapeDefinition[],
): ClassTable {
  const { nodeCount, nodeType, nodeName, strings, nodeLocation, locationScript, locationLine, locationColumn } = raw;
  const t = raw.layout.nodeType;
  const names: string[] = [];
  const keys: string[] = [];
  const byKey = new Map<string, number>();
  const classFor = (name: string, key: string): number => {
    let id = byKey.get(key);
    if (id === undefined) {
      id = names.length;
      names.push(name);
      keys.push(key);
      byKey.set(key, id);
    }
    return id;
  };
  // Per node type: the class of every node of that type (types that ignore the node's name).
  const typeClass = new Int32Array(raw.layout.nodeTypes.length).fill(-1);
  raw.layout.nodeTypes.forEach((typeName, i) => {
    if (i === t.object || i === t.native) return;
    if (i === t.hidden) typeClass[i] = classFor('(system)', ',(system)');
    else if (i === t.code) typeClass[i] = classFor('(compiled code)', ',(compiled code)');
    else if (i === t.closure) typeClass[i] = classFor('Function', CLOSURE_CLASS_KEY);
    else if (i === t.regexp) typeClass[i] = classFor('RegExp', ',RegExp');
    else typeClass[i] = classFor(`(${typeName})`, `,(${typeName})`);
  });
  const synthesizedNames = new Set(names);
  // Per name string: the class of objects/natives without a location (-1 = not yet seen).
  const nameClass = new Int32Array(strings.size).fill(-1);
  const objectNameMemo = new Uint8Array(strings.size); // 0 unknown, 1 not "Object", 2 "Object"
  const isPlainObject = (n: number): boolean => {
    if (nodeType[n] !== t.object) return false;
    const idx = nodeName[n];
    if (!objectNameMemo[idx]) objectNameMemo[idx] = strings.get(idx) === 'Object' ? 2 : 1;
    return objectNameMemo[idx] === 2;
  };
  // Objects with a location: class per (name, script, line, column), cached under a numeric key when it fits.
  const byLocation = new Map<string, Map<number, number>>();
  const namedClass = (n: number, name: string): number => {
    const loc = nodeLocation ? nodeLocation[n] : -1;
    if (loc >= 0 && nodeType[n] === t.object) {
      const script = locationScript[loc];
      const line = locationLine[loc];
      const column = locationColumn[loc];
      if (script >= 1 << 12 || line >= 1 << 20 || column >= 1 << 20)
        return classFor(name, `${script},${line},${column},${name}`);
      let perName = byLocation.get(name);
      if (!perName) byLocation.set(name, (perName = new Map<number, number>()));
      const numeric = script * 2 ** 40 + line * 2 ** 20 + column;
      let id = perName.get(numeric);
      if (id === undefined) perName.set(numeric, (id = classFor(name, `${script},${line},${column},${name}`)));
      return id;
    }
    return classFor(name, synthesizedNames.has(name) ? `object,${name}` : `,${name}`);
  };
  for (let n = 0; n < nodeCount; n++) {
    const type = nodeType[n];
    const fixed = typeClass[type];
    if (fixed >= 0) {
      classOf[n] = fixed;
      continue;
    }
    const idx = nodeName[n];
    const hasLocation = nodeLocation !== null && nodeLocation[n] >= 0 && type === t.object;
    if (!hasLocation && nameClass[idx] >= 0) {
      classOf[n] = nameClass[idx]!;
      continue;
    }
    const id = namedClass(n, displayClassName(strings.get(idx)));
    if (!hasLocation) nameClass[idx] = id;
    classOf[n] = id;
  }
  // Shape classes of objects without a location, by shape name (the same string object per shape: hashed once).
  const shapeClass = new Map<string, number>();
  const applied = inferObjectShapes(
    raw,
    isPlainObject,
    (n, shapeName) => {
      if (nodeLocation && nodeLocation[n] >= 0) {
        classOf[n] = namedClass(n, shapeName);
        return;
      }
      let id = shapeClass.get(shapeName);
      if (id === undefined) shapeClass.set(shapeName, (id = namedClass(n, shapeName)));
      classOf[n] = id;
    },
    scratch,
    shapes,
  );
  return { classOf, names, keys, shapes: applied };
}

/** DevTools shortens element-like names: '<div id="a">' → '<div>', 'Detached <div id="a">' → 'Detached <div>'. */
function displayClassName(name: string): string {
  if (name.startsWith('<')) {
    const space = name.indexOf(' ');
    return space === -1 ? name : `${name.substring(0, space)}>`;
  }
  if (name.startsWith('Detached <')) {
    const space = name.indexOf(' ', 10);
    return space === -1 ? name : `${name.substring(0, space)}>`;
  }
  return name;
}
