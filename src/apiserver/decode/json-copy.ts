// Untyped JSON subtrees (preserve-unknown-fields, runtime.RawExtension) are copied, and dropped
// unknown subtrees are depth-checked, without recursion, so a pathological document cannot
// overflow the stack. Both count depth from the container they start at.
import { DecodeState, MAX_NESTING_DEPTH, setOwn } from './state.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Frame { src: unknown; dst: Record<string, unknown> | unknown[]; depth: number }

/** Deep copy of a JSON value found at container depth `st.depth` (iterative). */
export function copyJson(value: unknown, st: DecodeState): unknown {
  if (value === null || typeof value !== 'object') return value;
  const root: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  const stack: Frame[] = [{ src: value, dst: root, depth: st.depth + 1 }];
  while (stack.length > 0) {
    const { src, dst, depth } = stack.pop()!;
    if (depth > MAX_NESTING_DEPTH) st.tooDeep();
    if (Array.isArray(src)) {
      const out = dst as unknown[];
      for (let i = 0; i < src.length; i++) {
        const v = src[i] as Json;
        if (v !== null && typeof v === 'object') {
          const child = Array.isArray(v) ? [] : {};
          out.push(child);
          stack.push({ src: v, dst: child, depth: depth + 1 });
        } else {
          out.push(v);
        }
      }
    } else {
      const obj = src as Record<string, unknown>;
      const out = dst as Record<string, unknown>;
      for (const k of Object.keys(obj)) {
        const v = obj[k] as Json;
        if (v !== null && typeof v === 'object') {
          const child = Array.isArray(v) ? [] : {};
          setOwn(out, k, child);
          stack.push({ src: v, dst: child, depth: depth + 1 });
        } else {
          setOwn(out, k, v);
        }
      }
    }
  }
  return root;
}

/** Throws the depth error when `value` (found at depth `st.depth`) nests too deeply. */
export function checkDepth(value: unknown, st: DecodeState): void {
  if (value === null || typeof value !== 'object') return;
  // Only a subtree deeper than the remaining budget can fail; most are shallow.
  const stack: [unknown, number][] = [[value, st.depth + 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > MAX_NESTING_DEPTH) st.tooDeep();
    const children = Array.isArray(v) ? v : Object.values(v as object);
    for (const c of children) if (c !== null && typeof c === 'object') stack.push([c, depth + 1]);
  }
}
