// Ordering rules of strategic merge patch lists: items named by the patch (or by a
// $setElementOrder list) keep the patch's order, items only the server has keep the live
// order, and the two runs are interleaved using the live order where both sides know an item.

/** Reads the identity of a list item: its merge key value for maps, the item for primitives. */
export type ItemIdentity = (item: unknown) => unknown;

/** Position of `item` in `list` by identity, or -1. */
export function indexByIdentity(list: unknown[], item: unknown, identity: ItemIdentity): number {
  const wanted = identity(item);
  for (let i = 0; i < list.length; i++) if (identity(list[i]) === wanted) return i;
  return -1;
}

/**
 * Sorts `items` by their position in `order`, stably. Like the upstream comparator, a pair in
 * which either item is missing from `order` counts as out of order, so such items move ahead.
 */
export function sortByOrder(items: unknown[], order: unknown[], identity: ItemIdentity): unknown[] {
  const out = [...items];
  const before = (a: unknown, b: unknown) => {
    const ia = indexByIdentity(order, a, identity);
    const ib = indexByIdentity(order, b, identity);
    return ia < 0 || ib < 0 ? true : ia < ib;
  };
  for (let i = 1; i < out.length; i++) {
    for (let j = i; j > 0 && before(out[j], out[j - 1]); j--) [out[j], out[j - 1]] = [out[j - 1], out[j]];
  }
  return out;
}

/**
 * Puts patch items in `patchOrder` and server-only items in `serverOrder`, then interleaves
 * them: a server-only item goes first only when the live list has it before the next patch item.
 */
export function orderMergedList(patchItems: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], identity: ItemIdentity): unknown[] {
  const fromPatch = sortByOrder(patchItems, patchOrder, identity);
  const fromServer = sortByOrder(serverOnly, serverOrder, identity);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < fromServer.length || j < fromPatch.length) {
    if (i >= fromServer.length) out.push(fromPatch[j++]);
    else if (j >= fromPatch.length) out.push(fromServer[i++]);
    else {
      const si = indexByIdentity(serverOrder, fromServer[i], identity);
      const pi = indexByIdentity(serverOrder, fromPatch[j], identity);
      if (si >= 0 && pi >= 0 && si < pi) out.push(fromServer[i++]);
      else out.push(fromPatch[j++]);
    }
  }
  return out;
}

/** Splits `items` into those whose identity appears in `by` and the rest. */
export function partitionByPresence(items: unknown[], by: unknown[], identity: ItemIdentity): [unknown[], unknown[]] {
  const present = new Set(by.map(identity));
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const item of items) (present.has(identity(item)) ? inPatch : serverOnly).push(item);
  return [inPatch, serverOnly];
}
