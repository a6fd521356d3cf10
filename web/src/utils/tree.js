// Helpers for the unit tree (items with `children`).

/** Depth-first list of every node. */
export function flatten(nodes, out = []) {
  for (const n of nodes || []) {
    out.push(n)
    if (n.children?.length) flatten(n.children, out)
  }
  return out
}

export function findNode(nodes, id) {
  for (const n of nodes || []) {
    if (n.id === id) return n
    const hit = findNode(n.children, id)
    if (hit) return hit
  }
  return null
}

/** The ids of a node and everything below it. */
export function subtreeIds(node) {
  return new Set(flatten([node]).map((n) => n.id))
}

/**
 * Nest a flat list by parent_id (for servers or filters that answer flat).
 * Nodes whose parent is not in the list become roots.
 */
export function nest(items) {
  const byId = new Map(items.map((i) => [i.id, { ...i, children: [] }]))
  const roots = []
  for (const node of byId.values()) {
    const parent = node.parent_id != null ? byId.get(node.parent_id) : null
    if (parent) parent.children.push(node)
    else roots.push(node)
  }
  const strip = (list) => {
    for (const n of list) {
      if (n.children.length) strip(n.children)
      else delete n.children
    }
    return list
  }
  return strip(roots)
}

/** Copy a tree, marking nodes `disabled` when pred(node) is true. */
export function markDisabled(nodes, pred) {
  return (nodes || []).map((n) => ({
    ...n,
    disabled: pred(n),
    children: n.children?.length ? markDisabled(n.children, pred) : undefined,
  }))
}

/** The tree as it comes from GET /units?tree=1: nested already, or flat to be nested. */
export function asTree(items) {
  const list = items || []
  const nested = list.some((i) => Array.isArray(i.children) && i.children.length)
  if (nested) return list
  return nest(list)
}
