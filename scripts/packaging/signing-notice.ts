/**
 * Says, before anything is packed, whether this build will be code-signed and notarized, from the
 * environment variables electron-builder itself reads. electron-builder skips signing quietly (one
 * debug-level line) when no certificate is given; admins installing the result need to know
 * whether they got a signed installer, so the packager says it plainly instead.
 */
export type Env = Readonly<Record<string, string | undefined>>

export interface SigningNotice {
  readonly platform: string
  readonly signed: boolean
  readonly notarized: boolean | null // null: not applicable to this platform
  readonly lines: readonly string[]
}

const has = (env: Env, ...names: string[]): boolean => names.every((name) => (env[name] ?? '').trim() !== '')

/** Pure: platform is electron-builder's electronPlatformName ('win32' | 'darwin' | 'mas' | 'linux'). */
export function describeSigning(platform: string, env: Env): SigningNotice {
  switch (platform) {
    case 'win32': {
      const signed = has(env, 'WIN_CSC_LINK') || has(env, 'CSC_LINK')
      const lines = signed
        ? [`Windows code signing: certificate from ${has(env, 'WIN_CSC_LINK') ? 'WIN_CSC_LINK' : 'CSC_LINK'}${has(env, 'WIN_CSC_KEY_PASSWORD') || has(env, 'CSC_KEY_PASSWORD') ? '' : ' (no WIN_CSC_KEY_PASSWORD/CSC_KEY_PASSWORD set: only works for a certificate without a password)'}.`]
        : ['Windows code signing SKIPPED: neither WIN_CSC_LINK nor CSC_LINK is set. The installer and portable .exe will be unsigned and SmartScreen will warn users.']
      return { platform, signed, notarized: null, lines }
    }
    case 'darwin':
    case 'mas': {
      const signed = has(env, 'CSC_LINK') || has(env, 'CSC_NAME')
      const notarizeWith = has(env, 'APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER')
        ? 'APPLE_API_KEY'
        : has(env, 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID')
          ? 'APPLE_ID'
          : has(env, 'APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE')
            ? 'APPLE_KEYCHAIN_PROFILE'
            : null
      const lines = [
        signed
          ? `macOS code signing: Developer ID certificate from ${has(env, 'CSC_LINK') ? 'CSC_LINK' : 'CSC_NAME'}, hardened runtime with build/entitlements.mac.plist.`
          : 'macOS code signing: CSC_LINK is not set. electron-builder will try a Developer ID identity in the login keychain; without one the app is only ad-hoc signed and Gatekeeper will block it on other Macs.',
        notarizeWith !== null
          ? `macOS notarization: with ${notarizeWith} credentials.`
          : 'macOS notarization SKIPPED: set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID (or APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER).',
      ]
      return { platform, signed, notarized: notarizeWith !== null, lines }
    }
    default:
      return {
        platform,
        signed: false,
        notarized: null,
        lines: [`${platform} packages (AppImage, deb) are not code-signed; publish them from a signed apt repository or with a checksum file.`],
      }
  }
}
