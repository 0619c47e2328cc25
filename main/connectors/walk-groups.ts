/** Visits a group and every group nested in it at any depth, each once (nesting cycles are allowed in cloud directories). */
export function walkGroups(start: string, nestedIn: (groupId: string) => Iterable<string>, visit: (groupId: string) => void): void {
  const seen = new Set<string>([start])
  const queue = [start]
  while (queue.length > 0) {
    const id = queue.pop() as string
    visit(id)
    for (const child of nestedIn(id)) {
      if (seen.has(child)) continue
      seen.add(child)
      queue.push(child)
    }
  }
}
