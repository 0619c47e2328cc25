/**
 * Whether this installation may take updates at all: only a signed build whose publisher is known
 * can check that an update comes from the same publisher. Pure; the facts are read by
 * read-update-trust-facts.ts.
 *
 * - Windows installer (NSIS): electron-updater checks the downloaded installer's Authenticode
 *   signature against `publisherName` in app-update.yml, and SKIPS the check when that list is
 *   empty (an unsigned build). electron-builder writes it only for a signed build.
 * - macOS: Squirrel.Mac accepts an update only if it satisfies the running app's code-signing
 *   requirement, which needs the running app to be signed.
 * - AppImage and deb: electron-updater replaces the file (or runs dpkg) without any signature
 *   check, so they are off unless the organisation verifies them another way and says so.
 * - Windows portable: not updatable by electron-updater.
 */
export type InstallKind = 'nsis' | 'portable' | 'dmg' | 'appimage' | 'deb' | 'unknown'

export interface UpdateTrustFacts {
  readonly platform: NodeJS.Platform
  readonly install: InstallKind
  /** Publisher names the build was signed for (app-update.yml `publisherName`); empty: unsigned. */
  readonly publisherNames: readonly string[]
  /** The running app's code signature verifies (macOS `codesign --verify`). */
  readonly codeSigned: boolean
  /** The organisation verifies AppImage/deb updates itself (DIRSYNC_LINUX_UPDATES_VERIFIED=1). Default: false. */
  readonly linuxUpdatesVerified: boolean
}

export type UpdateTrust = { readonly trusted: true; readonly message: string } | { readonly trusted: false; readonly reason: string }

export function decideUpdateTrust(facts: UpdateTrustFacts): UpdateTrust {
  switch (facts.install) {
    case 'nsis':
      if (facts.publisherNames.length === 0) return { trusted: false, reason: 'Updates are refused: this build is not signed with a known publisher, so an update’s signature could not be checked. Install a signed build.' }
      return { trusted: true, message: `Updates must be signed by ${facts.publisherNames.join(' or ')}.` }
    case 'dmg':
      if (!facts.codeSigned) return { trusted: false, reason: 'Updates are refused: this app is not code-signed, so an update’s signature could not be checked against it. Install a signed build.' }
      return { trusted: true, message: 'Updates must be signed with this app’s signing identity.' }
    case 'appimage':
    case 'deb':
      if (!facts.linuxUpdatesVerified) return { trusted: false, reason: `Updates are off for ${facts.install === 'appimage' ? 'AppImage' : 'deb'} installs: they are not signature-checked. Update through your software distribution.` }
      return { trusted: true, message: 'Updates are verified by your organisation (DIRSYNC_LINUX_UPDATES_VERIFIED).' }
    case 'portable':
      return { trusted: false, reason: 'The portable build does not update itself: replace the file with a newer signed build.' }
    case 'unknown':
      return { trusted: false, reason: `Updates are refused: this installation (${facts.platform}) is not one whose updates can be verified.` }
  }
}
