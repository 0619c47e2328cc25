import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import fc from 'fast-check'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { FuseV1Options } from '@electron/fuses'
import { IPC_CHANNELS, IPC_EVENTS } from '../../../../shared/ipc/channels.ts'
import type { Handlers } from '../../../../main/ipc/handlers.ts'
import { CONTENT_SECURITY_POLICY } from '../../../../main/headless/content-security-policy.ts'

/**
 * Electron's security checklist, one test per applicable item. Electron itself cannot start here
 * (no binary, no display), so the `electron` module is replaced by a recorder: the real
 * createMainWindow, registerIpc and preload run against it, and the test asserts what they asked
 * Electron to do — the options, the handlers, and what those handlers answer.
 */
const electron = vi.hoisted(() => {
  const recorded = {
    windowOptions: [] as unknown[],
    windowOpenHandler: null as null | ((details: { url: string }) => { action: string }),
    listeners: new Map<string, (event: { preventDefault(): void }) => void>(),
    loaded: [] as Array<{ kind: 'url' | 'file'; target: string }>,
    permissionRequest: null as null | ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void),
    permissionCheck: null as null | ((...args: unknown[]) => boolean),
    openedExternally: [] as string[],
    ipcHandlers: new Map<string, (event: unknown, raw: unknown) => Promise<unknown>>(),
    ipcOn: [] as string[],
    exposed: new Map<string, Record<string, (...args: never[]) => unknown>>(),
    rendererInvoked: [] as Array<{ channel: string; request: unknown }>,
    rendererListening: [] as string[],
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
    appListeners: new Map<string, (...args: unknown[]) => void>(),
  }
  class BrowserWindow {
    readonly webContents = {
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => void (recorded.windowOpenHandler = handler),
      on: (name: string, listener: (event: { preventDefault(): void }) => void) => void recorded.listeners.set(name, listener),
    }
    constructor(options: unknown) {
      recorded.windowOptions.push(options)
    }
    once(): void {}
    show(): void {}
    loadURL(url: string): Promise<void> {
      recorded.loaded.push({ kind: 'url', target: url })
      return Promise.resolve()
    }
    loadFile(file: string): Promise<void> {
      recorded.loaded.push({ kind: 'file', target: file })
      return Promise.resolve()
    }
  }
  const module = {
    BrowserWindow,
    app: { on: (name: string, listener: (...args: unknown[]) => void) => void recorded.appListeners.set(name, listener) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => void recorded.privilegedSchemes.push(...schemes),
      handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => void recorded.protocolHandlers.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: typeof recorded.permissionRequest) => void (recorded.permissionRequest = handler),
        setPermissionCheckHandler: (handler: typeof recorded.permissionCheck) => void (recorded.permissionCheck = handler),
      },
    },
    shell: { openExternal: (url: string) => void recorded.openedExternally.push(url) },
    ipcMain: {
      handle: (channel: string, handler: (event: unknown, raw: unknown) => Promise<unknown>) => void recorded.ipcHandlers.set(channel, handler),
      on: (channel: string) => void recorded.ipcOn.push(channel),
    },
    contextBridge: { exposeInMainWorld: (key: string, api: Record<string, (...args: never[]) => unknown>) => void recorded.exposed.set(key, api) },
    ipcRenderer: {
      invoke: (channel: string, request: unknown) => {
        recorded.rendererInvoked.push({ channel, request })
        return Promise.resolve({ ok: true, value: null })
      },
      on: (event: string) => void recorded.rendererListening.push(event),
      removeListener: () => undefined,
    },
  }
  return { recorded, module }
})
vi.mock('electron', () => ({ ...electron.module, default: electron.module }))

const root = join(import.meta.dirname, '..', '..', '..', '..')
const read = (path: string): string => readFileSync(join(root, path), 'utf8')

function sourceFiles(dir: string, pattern = /\.(ts|tsx|html)$/): string[] {
  const out: string[] = []
  for (const entry of readdirSync(join(root, dir))) {
    const path = join(dir, entry)
    if (statSync(join(root, path)).isDirectory()) out.push(...sourceFiles(path, pattern))
    else if (pattern.test(entry)) out.push(path)
  }
  return out
}

function cspOf(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name ?? '', values]),
  )
}

const RENDERER_CSP = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(read('renderer/index.html'))?.[1] ?? ''

describe('Electron hardening (the security checklist)', () => {
  let isAllowedExternalUrl: (url: string) => boolean
  let webPreferences: Record<string, unknown>

  beforeAll(async () => {
    const windowModule = await import('../../../../main/electron/create-main-window.ts')
    const guard = await import('../../../../main/electron/web-contents-guard.ts')
    isAllowedExternalUrl = guard.isAllowedExternalUrl
    windowModule.createMainWindow({ devServerUrl: undefined, devTools: false })
    webPreferences = (electron.recorded.windowOptions[0] as { webPreferences: Record<string, unknown> }).webPreferences
    guard.guardAllWebContents(electron.module.app as never)
    // A web contents as the app-wide guard sees it when Electron creates one.
    electron.recorded.appListeners.get('web-contents-created')?.({}, new electron.module.BrowserWindow({}).webContents)
  })

  it('turns on context isolation', () => {
    expect(webPreferences['contextIsolation']).toBe(true)
  })

  it('sandboxes the renderer', () => {
    expect(webPreferences['sandbox']).toBe(true)
  })

  it('gives the renderer no Node integration, in the page or in workers, and no webview tag', () => {
    expect(webPreferences['nodeIntegration']).toBe(false)
    expect(webPreferences['nodeIntegrationInWorker']).toBe(false)
    expect(webPreferences['webviewTag']).toBe(false)
  })

  it('keeps web security on and insecure content and experimental features off', () => {
    expect(webPreferences['webSecurity']).toBe(true)
    expect(webPreferences['allowRunningInsecureContent']).toBe(false)
    expect(webPreferences['experimentalFeatures']).toBe(false)
  })

  it('loads the bundled page from its own app:// scheme, never file:// or a remote URL, when packaged', () => {
    expect(electron.recorded.loaded).toEqual([{ kind: 'url', target: 'app://console/index.html' }])
    // The dev-server URL is only ever passed when the app is not packaged.
    expect(read('main/index.ts')).toMatch(/createMainWindow\(\{ devServerUrl: app\.isPackaged \? undefined : process\.env\['ELECTRON_RENDERER_URL'\], devTools: !app\.isPackaged \}\)/)
  })

  it('turns DevTools off in packaged builds', () => {
    expect(webPreferences['devTools']).toBe(false)
    expect(read('main/index.ts')).toMatch(/devTools: !app\.isPackaged/)
  })

  describe('the app:// scheme (protocol.handle)', () => {
    let handler: (request: Request) => Response | Promise<Response>
    beforeAll(async () => {
      const { registerAppScheme, serveRenderer } = await import('../../../../main/electron/app-protocol.ts')
      registerAppScheme()
      serveRenderer(join(root, 'test', 'fixtures', 'renderer-stub'))
      handler = electron.recorded.protocolHandlers.get('app') as typeof handler
    })

    it('is registered as privileged (standard, secure) before ready, and handled with protocol.handle', () => {
      expect(electron.recorded.privilegedSchemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }])
      expect(handler).toBeTypeOf('function')
      expect(read('main/index.ts')).toMatch(/registerAppScheme\(\)[\s\S]*whenReady/)
    })

    it('serves the built page with the CSP as a header, and nothing outside the renderer folder or for another host', async () => {
      const page = await handler(new Request('app://console/index.html'))
      expect(page.status).toBe(200)
      expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
      expect(await page.text()).toContain('renderer stub')
      const escape = await handler(new Request('app://console/..%2F..%2F..%2Fpackage.json'))
      expect(await escape.text()).not.toContain('"dependencies"')
      expect((await handler(new Request('app://elsewhere/index.html'))).status).toBe(404)
    })
  })

  it('guards every web contents app-wide: navigation of any frame, redirects, new windows and webview attachment are denied', () => {
    expect(electron.recorded.appListeners.has('web-contents-created')).toBe(true)
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn()
      electron.recorded.listeners.get(name)?.({ preventDefault })
      expect(preventDefault, name).toHaveBeenCalledOnce()
    }
  })

  it('denies every new window (window.open, target=_blank, middle-click), and opens only allow-listed https links in the system browser', () => {
    const handler = electron.recorded.windowOpenHandler
    expect(handler).not.toBeNull()
    const urls = ['https://learn.microsoft.com/en-us/entra/', 'https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'http://github.com/x']
    for (const url of urls) expect(handler?.({ url })).toEqual({ action: 'deny' })
    expect(electron.recorded.openedExternally).toEqual(['https://learn.microsoft.com/en-us/entra/'])
  })

  it('denies every permission request and permission check', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn()
      electron.recorded.permissionRequest?.({}, permission, callback)
      expect(callback, permission).toHaveBeenCalledWith(false)
    }
    expect(electron.recorded.permissionCheck?.({}, 'media', 'file://', {})).toBe(false)
  })

  describe('shell.openExternal allow-list (isAllowedExternalUrl)', () => {
    it('accepts the https documentation hosts', () => {
      for (const url of ['https://learn.microsoft.com/en-us/graph/', 'https://support.google.com/a/answer/162106', 'https://github.com/doyensec/electronegativity']) expect(isAllowedExternalUrl(url), url).toBe(true)
    })

    it('refuses other schemes, look-alike hosts, credentials tricks and hosts hidden in the path or query', () => {
      const refused = [
        'http://learn.microsoft.com/',
        'HTTPS://GITHUB.COM/',
        'https://learn.microsoft.com.evil.example/',
        'https://github.com.evil.example/',
        'https://github.com@evil.example/',
        'https://evil.example/https://github.com/',
        'https://evil.example/?u=https://support.google.com/',
        ' https://github.com/',
        'javascript:alert(1)//https://github.com/',
        'file:///C:/Windows/System32/calc.exe',
        'smb://attacker/share',
        'ms-msdt:/id PCWDiagnostic',
        'https://github.com',
        '',
      ]
      for (const url of refused) expect(isAllowedExternalUrl(url), url).toBe(false)
    })

    it('refuses every URL whose host is not allow-listed (1,000 generated URLs)', () => {
      fc.assert(
        fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
          const host = new URL(url).host
          const listed = url.startsWith('https://') && ['learn.microsoft.com', 'support.google.com', 'github.com'].includes(host)
          return isAllowedExternalUrl(url) === listed
        }),
        { numRuns: 1000 },
      )
    })
  })

  describe('IPC: every channel goes through the sender-checked door', () => {
    const calls: string[] = []
    const handlers = Object.fromEntries(IPC_CHANNELS.map((channel) => [channel, () => void calls.push(channel)])) as unknown as Handlers
    const trustedContents = {}
    const event = (over: Record<string, unknown> = {}) => ({ sender: trustedContents, senderFrame: { parent: null, url: 'app://console/index.html' }, ...over })

    beforeAll(async () => {
      const { registerIpc } = await import('../../../../main/electron/register-ipc.ts')
      registerIpc(handlers, new Set([trustedContents]) as never, () => undefined)
    })

    it('registers exactly the contract channels, each with ipcMain.handle, and no ipcMain.on listener', () => {
      expect([...electron.recorded.ipcHandlers.keys()].sort()).toEqual([...IPC_CHANNELS].sort())
      expect(electron.recorded.ipcOn).toEqual([])
    })

    it('refuses, on every channel, a request from another window, a sub-frame or a remote page, before any handler runs', async () => {
      const untrusted = [event({ sender: {} }), event({ senderFrame: { parent: {}, url: 'app://console/index.html' } }), event({ senderFrame: { parent: null, url: 'https://evil.example/' } }), event({ senderFrame: { parent: null, url: 'file:///tmp/dropped.html' } }), event({ senderFrame: null })]
      for (const channel of IPC_CHANNELS) {
        for (const e of untrusted) {
          await expect(electron.recorded.ipcHandlers.get(channel)?.(e, {})).resolves.toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) as string } })
        }
      }
      expect(calls).toEqual([])
    })

    it('lets the console window through to the handler', async () => {
      await expect(electron.recorded.ipcHandlers.get('status:get')?.(event(), {})).resolves.toMatchObject({ ok: true })
      expect(calls).toEqual(['status:get'])
    })

    it('has no other ipcMain registration anywhere in main/ (register-ipc.ts is the only door)', () => {
      const offenders = sourceFiles('main').filter((file) => /ipcMain\.(handle|handleOnce|on|once)\(/.test(read(file)) && !file.endsWith(join('electron', 'register-ipc.ts')))
      expect(offenders).toEqual([])
    })
  })

  describe('the preload bridge', () => {
    let api: { invoke(channel: unknown, request: unknown): Promise<unknown>; on(event: unknown, listener: (payload: unknown) => void): () => void }

    beforeAll(async () => {
      await import('../../../../preload/index.ts')
      api = electron.recorded.exposed.get('api') as unknown as typeof api
    })

    it('exposes one object with exactly invoke and on, and nothing else to the page', () => {
      expect([...electron.recorded.exposed.keys()]).toEqual(['api'])
      expect(Object.keys(api).sort()).toEqual(['invoke', 'on'])
    })

    it('forwards only contract channels and events; anything else never reaches ipcRenderer', async () => {
      await expect(api.invoke('status:get', {})).resolves.toEqual({ ok: true, value: null })
      for (const channel of ['shell:openExternal', 'electron:remote', '__proto__', 42, null]) {
        await expect(api.invoke(channel, {})).resolves.toMatchObject({ ok: false, error: { code: 'invalid-request' } })
      }
      expect(electron.recorded.rendererInvoked.map((c) => c.channel)).toEqual(['status:get'])
      api.on('sync:progress', () => undefined)
      api.on('ipc-message-sync', () => undefined)
      expect(electron.recorded.rendererListening).toEqual(['sync:progress'])
      expect(IPC_EVENTS).toContain('sync:progress')
    })
  })

  describe('Content Security Policy', () => {
    for (const [where, policy] of [['renderer/index.html', RENDERER_CSP], ['the header (browser host and app://)', CONTENT_SECURITY_POLICY]] as const) {
      it(`${where}: scripts only from the app itself — no unsafe-eval, no inline script, no remote source`, () => {
        expect(policy).not.toBe('')
        const csp = cspOf(policy)
        expect(policy).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-hashes/)
        expect(csp.get('default-src')).toEqual(["'self'"])
        expect(csp.get('script-src')).toEqual(["'self'"])
        expect(csp.get('object-src')).toEqual(["'none'"])
        expect(csp.get('base-uri')).toEqual(["'none'"])
        expect(csp.get('connect-src')).toEqual(["'self'"])
        expect(policy).not.toMatch(/https?:|\*/)
      })

      it(`${where}: styles only from the bundle — no 'unsafe-inline' anywhere`, () => {
        expect(cspOf(policy).get('style-src')).toEqual(["'self'"])
        expect(policy).not.toMatch(/unsafe-inline/)
      })
    }
  })

  it('loads no remote content: no http(s) script, style, frame or page URL in main/, preload/ or renderer/', () => {
    const remote = /(loadURL|src=|href=|import\(|@import|url\()\s*["'`(]?\s*https?:\/\//
    const offenders = [...sourceFiles('main'), ...sourceFiles('preload'), ...sourceFiles('renderer')].filter((file) => remote.test(read(file)))
    expect(offenders.map((f) => relative(root, join(root, f)))).toEqual([])
  })

  it('sets the packaging fuses: RunAsNode off, cookie encryption on, ASAR integrity on, app only from ASAR (and NODE_OPTIONS/--inspect off)', async () => {
    const { FUSE_CONFIG } = await import('../../../../scripts/packaging/fuses.ts')
    expect(FUSE_CONFIG[FuseV1Options.RunAsNode]).toBe(false)
    expect(FUSE_CONFIG[FuseV1Options.EnableCookieEncryption]).toBe(true)
    expect(FUSE_CONFIG[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true)
    expect(FUSE_CONFIG[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true)
    expect(FUSE_CONFIG[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false)
    expect(FUSE_CONFIG[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false)
    expect(FUSE_CONFIG[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false)
    // …and electron-builder runs the hook that flips them.
    expect(read('electron-builder.yml')).toMatch(/^afterPack: \.\/scripts\/packaging\/hooks\.ts$/m)
  })
})
