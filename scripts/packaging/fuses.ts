import path from 'node:path'
import { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire, type FuseConfig } from '@electron/fuses'
import { Arch } from 'electron-builder'

/**
 * Electron fuses flipped in the packaged binary (https://www.electronjs.org/docs/latest/tutorial/fuses).
 * Fuses are bits in the executable itself, so they hold even if someone edits the app's files or
 * environment. Each value below closes one way to run code we did not ship.
 *
 * Left at Electron's defaults on purpose:
 * - LoadBrowserProcessSpecificV8Snapshot, WasmTrapHandlers: performance/robustness, not attack surface.
 */
export const FUSE_CONFIG = {
  version: FuseVersion.V1,
  // `ELECTRON_RUN_AS_NODE=1 app` would turn the signed app into a plain Node interpreter.
  [FuseV1Options.RunAsNode]: false,
  // Cookies on disk are encrypted with the OS keychain / DPAPI key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS (e.g. --require evil.js) is ignored by the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk cannot attach a debugger to a production install.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar is checked against the hash electron-builder embeds (macOS Info.plist, Windows resource).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only resources/app.asar is loaded, never a loose resources/app/ folder dropped next to it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // The renderer comes from app:// (main/electron/app-protocol.ts): file:// needs no extra privileges.
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
} as const satisfies FuseConfig

/** The minimum of electron-builder's AfterPackContext this module reads (keeps it testable). */
export interface FusePackContext {
  readonly appOutDir: string
  /** 'linux' | 'win32' | 'darwin' | 'mas' */
  readonly electronPlatformName: string
  readonly arch: Arch
  readonly packager: { readonly appInfo: { readonly productFilename: string }; readonly executableName?: string }
}

export type FuseOutcome =
  | { readonly applied: true; readonly binary: string }
  | { readonly applied: false; readonly binary: string; readonly reason: string }

/** Where electron-builder put the renamed Electron executable (or, on macOS, the .app bundle). */
export function electronBinaryPath(context: FusePackContext): string {
  const { appOutDir, electronPlatformName, packager } = context
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      // @electron/fuses resolves the framework binary inside the bundle itself.
      return path.join(appOutDir, `${packager.appInfo.productFilename}.app`)
    case 'win32':
      return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`)
    default:
      return path.join(appOutDir, packager.executableName ?? packager.appInfo.productFilename)
  }
}

/**
 * Flips FUSE_CONFIG into the packaged binary. A placeholder Electron dist (offline CI, see
 * scripts/packaging/placeholder-electron-dist.ts) has no fuse wire: that is reported as
 * `applied: false` with the reason, never silently passed over. Any other failure throws and
 * fails the build, because shipping a real binary without its fuses would be a silent downgrade.
 */
export async function applyFuses(context: FusePackContext): Promise<FuseOutcome> {
  const binary = electronBinaryPath(context)
  try {
    await getCurrentFuseWire(binary)
  } catch (error) {
    if (error instanceof Error && /Could not find sentinel/.test(error.message)) {
      return { applied: false, binary, reason: 'the Electron binary has no fuse wire (a placeholder Electron dist, not a real build)' }
    }
    throw error
  }
  await flipFuses(binary, {
    ...FUSE_CONFIG,
    // Flipping bits breaks the ad-hoc signature Apple Silicon requires to launch at all; re-sign ad hoc
    // (the real Developer ID signature is applied after afterPack, when CSC_LINK is set).
    resetAdHocDarwinSignature: (context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas') && context.arch === Arch.arm64,
  })
  return { applied: true, binary }
}
