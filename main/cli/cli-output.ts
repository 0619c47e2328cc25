/** Output helpers: `--json` prints exactly one JSON document on stdout; tables are for people. */
export interface Output {
  readonly json: boolean
  print(value: unknown, human: () => string): void
  note(message: string): void
  /** A document as it is (CSV): no JSON wrapping, no added newline. */
  raw(text: string): void
}

export function createOutput(json: boolean, stdout: (s: string) => void, stderr: (s: string) => void): Output {
  return {
    json,
    print(value, human) {
      stdout(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`)
    },
    note(message) {
      stderr(`${message}\n`)
    },
    raw(text) {
      stdout(text)
    },
  }
}

/** A plain text table: columns sized to content, no colours (logs and pipes stay clean). */
export function table(headers: readonly string[], rows: ReadonlyArray<readonly (string | number | null | undefined)[]>): string {
  const cells = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '' : String(cell))))
  const widths = headers.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length))))
  const line = (row: readonly string[]): string => row.map((cell, i) => cell.slice(0, 60).padEnd(widths[i] ?? 0)).join('  ').trimEnd()
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

export function counts(record: Readonly<Record<string, number>>): string {
  const entries = Object.entries(record)
  return entries.length === 0 ? 'none' : entries.map(([kind, n]) => `${kind} ${n}`).join(', ')
}
