import type { ScriptText } from './scriptSources';

/** A line chosen inside a script: 0-based, like CDP positions. */
export interface ChosenLine {
  line: number;
  column: number;
  /** `allocation`: a statement that allocates or retains was found; `function`: the function's first line. */
  source: 'allocation' | 'function';
}

/** Statement patterns that allocate memory or register something that keeps it alive, with weights. */
const PATTERNS: Array<[RegExp, number]> = [
  [/\bnew\s+[A-Za-z_$][\w$]*/g, 3],
  [/\bBuffer\.(?:alloc|allocUnsafe|allocUnsafeSlow|from|concat)\b/g, 4],
  [/\b(?:Array\.from|Object\.assign|JSON\.parse|structuredClone)\b/g, 3],
  [/\.(?:fill|repeat|split|slice|concat|map|filter|padEnd|padStart|join)\(/g, 2],
  [/\.(?:push|unshift|splice|set|add|on|once|addListener|prependListener|addEventListener|then|catch|finally)\(/g, 2],
  [/\bset(?:Interval|Timeout|Immediate)\(/g, 2],
  [/=>|\bfunction\b/g, 1],
  [/`[^`]*\$\{/g, 1],
  [/[=(,:]\s*[[{]/g, 1],
];
const MIN_SCORE = 2;
/** How deep to follow calls into functions of the same file that V8 may have inlined. */
const MAX_CALL_DEPTH = 2;

/**
 * Picks the line a user should look at inside a function that V8's sampling profiler charged with live bytes.
 * The profiler only knows the function (and inlined callees are merged into it), so this reads the function's
 * source, scores each statement for allocation and retention, follows calls into same-file functions that
 * may have been inlined, and falls back to the function's first line.
 */
export function chooseAllocationLine(script: ScriptText, fnLine: number, fnColumn: number): ChosenLine {
  const start = (script.lineStarts[fnLine] ?? 0) + fnColumn;
  const best = bestLineIn(script, start, fnLine === 0 && fnColumn === 0, 0, new Set());
  if (best && best.score >= MIN_SCORE) return { line: best.line, column: best.column, source: 'allocation' };
  return { line: fnLine, column: fnColumn, source: 'function' };
}

interface Scored {
  line: number;
  column: number;
  score: number;
}

function bestLineIn(
  script: ScriptText,
  start: number,
  wholeScript: boolean,
  depth: number,
  visited: Set<number>,
): Scored | null {
  visited.add(start);
  const range = wholeScript ? { from: 0, to: script.text.length } : functionBody(script.text, start);
  if (!range) return null;
  const code = blankCommentsAndStrings(script.text, range.from, range.to);
  const nested = nestedFunctionBodies(code, range.from);
  let best: Scored | null = null;
  const firstLine = lineOf(script, range.from);
  const lastLine = lineOf(script, range.to);
  for (let line = firstLine; line <= lastLine; line++) {
    const ls = Math.max(range.from, script.lineStarts[line]);
    const le = Math.min(range.to, (script.lineStarts[line + 1] ?? script.text.length + 1) - 1);
    if (le <= ls) continue;
    // Lines wholly inside a nested function belong to that function's own profile node (unless inlined; see calls).
    if (nested.some(([a, b]) => ls >= a && le <= b)) continue;
    const text = code.slice(ls - range.from, le - range.from);
    let score = 0;
    for (const [re, w] of PATTERNS) score += (text.match(re)?.length ?? 0) * w;
    const column = ls - script.lineStarts[line] + (text.length - text.trimStart().length);
    let candidate: Scored = { line, column, score };
    if (depth < MAX_CALL_DEPTH) {
      for (const callee of calledLocalFunctions(script, text)) {
        if (visited.has(callee)) continue;
        const inner = bestLineIn(script, callee, false, depth + 1, visited);
        // Prefer the callee's allocating line only when it clearly allocates more than this call line does.
        if (inner && inner.score > candidate.score && inner.score >= 4) candidate = inner;
      }
    }
    if (!best || candidate.score > best.score) best = candidate;
  }
  return best;
}

/** The body of the function starting at `start`: braces of a block body, or the rest of the line of an expression arrow. */
function functionBody(text: string, start: number): { from: number; to: number } | null {
  const lineEnd = text.indexOf('\n', start) === -1 ? text.length : text.indexOf('\n', start);
  const headEnd = Math.min(text.length, start + 2000);
  let depthParen = 0;
  for (let i = start; i < headEnd; i++) {
    const c = text[i];
    if (c === '(') depthParen++;
    else if (c === ')') depthParen--;
    else if (depthParen === 0 && c === '=' && text[i + 1] === '>') {
      const after = text.slice(i + 2).match(/^\s*/)![0].length + i + 2;
      if (text[after] !== '{') return { from: start, to: Math.max(lineEnd, after) };
    } else if (depthParen === 0 && c === '{') {
      const end = matchBrace(text, i);
      return end < 0 ? null : { from: i, to: end };
    }
  }
  return null;
}

function matchBrace(text: string, open: number): number {
  const code = blankCommentsAndStrings(text, open, Math.min(text.length, open + 200_000));
  let depth = 0;
  for (let i = 0; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return open + i;
  }
  return -1;
}

/** Copy of text[from, to) with comments removed and string contents blanked (template expressions kept). */
function blankCommentsAndStrings(text: string, from: number, to: number): string {
  const out: string[] = [];
  let i = from;
  while (i < to) {
    const c = text[i];
    const n = text[i + 1];
    if (c === '/' && n === '/') {
      while (i < to && text[i] !== '\n') {
        out.push(' ');
        i++;
      }
    } else if (c === '/' && n === '*') {
      while (i < to && !(text[i] === '*' && text[i + 1] === '/')) {
        out.push(text[i] === '\n' ? '\n' : ' ');
        i++;
      }
      out.push('  ');
      i += 2;
    } else if (c === '"' || c === "'") {
      out.push(c);
      i++;
      while (i < to && text[i] !== c && text[i] !== '\n') {
        if (text[i] === '\\') {
          out.push(' ');
          i++;
        }
        out.push(' ');
        i++;
      }
      if (i < to) {
        out.push(text[i]);
        i++;
      }
    } else {
      out.push(c);
      i++;
    }
  }
  return out.join('').slice(0, to - from);
}

/** Absolute [from, to] ranges of function bodies nested in a blanked body. */
function nestedFunctionBodies(code: string, base: number): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  const re = /(?:=>\s*|\bfunction\b[^{]*?\)\s*)\{/g;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    if (m.index === 0) continue;
    const open = m.index + m[0].length - 1;
    let depth = 0;
    for (let i = open; i < code.length; i++) {
      if (code[i] === '{') depth++;
      else if (code[i] === '}' && --depth === 0) {
        ranges.push([base + open, base + i]);
        break;
      }
    }
  }
  return ranges;
}

/** Offsets of same-file functions called on a line (`name(` or `.name(` matching a declaration in the script). */
function calledLocalFunctions(script: ScriptText, line: string): number[] {
  const out: number[] = [];
  for (const m of line.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) {
    const name = m[1];
    if (/^(?:if|for|while|switch|catch|function|return|typeof|new|super)$/.test(name)) continue;
    const decl = declarationOf(script, name);
    if (decl >= 0) out.push(decl);
  }
  return out;
}

const declarationCache = new WeakMap<ScriptText, Map<string, number>>();

function declarationOf(script: ScriptText, name: string): number {
  let cache = declarationCache.get(script);
  if (!cache) declarationCache.set(script, (cache = new Map<string, number>()));
  if (cache.has(name)) return cache.get(name)!;
  const esc = name.replace(/\$/g, '\\$');
  const re = new RegExp(
    `(?:\\bfunction\\s*\\*?\\s*${esc}\\s*\\(|\\b(?:const|let|var)\\s+${esc}\\s*=\\s*(?:async\\s*)?(?:function\\b|\\([^)]*\\)\\s*=>|[\\w$]+\\s*=>)|^\\s*(?:async\\s+|static\\s+|get\\s+)?${esc}\\s*\\([^)]*\\)\\s*\\{)`,
    'm',
  );
  const m = re.exec(script.text);
  const at = m ? m.index + m[0].search(/\S/) : -1;
  cache.set(name, at);
  return at;
}

function lineOf(script: ScriptText, offset: number): number {
  let lo = 0;
  let hi = script.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (script.lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
