/**
 * The directory page's route parameter (`#/directory/user:<address>`, `#/directory/group:<key>`):
 * which user's or group's page is open beside the list, so a link, Back and a reload keep it.
 */
export interface DirectoryTarget {
  readonly type: 'user' | 'group'
  /** A user's primary address, or a group's key. */
  readonly key: string
}

export function parseDirectoryTarget(param: string | null): DirectoryTarget | null {
  const match = param ? /^(user|group):(.+)$/s.exec(param) : null
  return match ? { type: match[1] as DirectoryTarget['type'], key: match[2] ?? '' } : null
}

export function directoryParam(target: DirectoryTarget): string {
  return `${target.type}:${target.key}`
}
