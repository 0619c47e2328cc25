/**
 * The name shown for a user or group: the first non-empty of the candidates (displayName, cn…),
 * trimmed — surrounding whitespace in a directory value is an accident, never part of the name.
 */
export function displayNameOf(...candidates: ReadonlyArray<string | null | undefined>): string | null {
  for (const candidate of candidates) {
    const name = candidate?.trim()
    if (name) return name
  }
  return null
}
