export interface ForeignKey {
  child: string;
  parent: string;
}

/**
 * Orders tables so that a table is emptied before any table it references (children first),
 * whatever their ON DELETE rules: a RESTRICT key then never blocks the purge. Tables in a
 * reference cycle keep their given order at the end.
 */
export function deletionOrder(tables: readonly string[], keys: readonly ForeignKey[]): string[] {
  const inSet = new Set(tables);
  const edges = keys.filter((k) => inSet.has(k.child) && inSet.has(k.parent) && k.child !== k.parent);
  const remaining = new Set(tables);
  const order: string[] = [];
  while (remaining.size) {
    // A table may go once no remaining table still references it.
    const free = [...remaining].filter((t) => !edges.some((e) => e.parent === t && remaining.has(e.child)));
    if (!free.length) {
      order.push(...tables.filter((t) => remaining.has(t)));
      break;
    }
    for (const t of free) {
      order.push(t);
      remaining.delete(t);
    }
  }
  return order;
}
