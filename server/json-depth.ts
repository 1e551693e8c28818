/** Nesting depth of parsed JSON, measured without recursion (so a deep value cannot overflow the stack here). */

/** Whether `value` nests arrays/objects more than `maxDepth` levels deep (a scalar is depth 0). */
export function jsonDepthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}
