import { shell, type App } from 'electron'

/** https URLs the console may open in the system browser (documentation links); nothing else. */
const EXTERNAL_ALLOW_LIST = [/^https:\/\/learn\.microsoft\.com\//, /^https:\/\/support\.google\.com\//, /^https:\/\/github\.com\//]

export function isAllowedExternalUrl(url: string): boolean {
  return EXTERNAL_ALLOW_LIST.some((pattern) => pattern.test(url))
}

/**
 * App-wide, for every web contents ever created (windows, frames, devtools, anything a future
 * change adds): no navigation of any frame away from the loaded page, no redirect, no new window
 * (allow-listed documentation links open in the system browser instead), no <webview>.
 * Programmatic loads (loadURL) emit none of these events, so the console itself still loads.
 */
export function guardAllWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url)
      return { action: 'deny' }
    })
    contents.on('will-navigate', (event) => event.preventDefault())
    contents.on('will-frame-navigate', (event) => event.preventDefault())
    contents.on('will-redirect', (event) => event.preventDefault())
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
}
