// Dependency cycles among expanded stages: one report per strongly connected group.

/** Each cycle as a path of node ids that starts and ends at the same node. */
export function findCycles(nodes: string[], edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  const strongConnect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      groups.push(group);
    }
  };
  for (const v of nodes) if (!index.has(v)) strongConnect(v);

  const order = new Map(nodes.map((n, i) => [n, i]));
  const cycles: string[][] = [];
  for (const group of groups) {
    const members = new Set(group);
    const start = group.reduce((a, b) => (order.get(a)! <= order.get(b)! ? a : b));
    if (group.length === 1 && !(edges.get(start) ?? []).includes(start)) continue;
    // Shortest path from start back to itself inside the group (breadth first).
    const prev = new Map<string, string>();
    const queue = [start];
    let found = false;
    while (queue.length > 0 && !found) {
      const v = queue.shift()!;
      for (const w of edges.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          prev.set(start + '\0end', v);
          found = true;
          break;
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          queue.push(w);
        }
      }
    }
    const path = [start];
    let v = prev.get(start + '\0end')!;
    while (v !== start) {
      path.unshift(v);
      v = prev.get(v)!;
    }
    path.unshift(start);
    cycles.push(path);
  }
  return cycles;
}
