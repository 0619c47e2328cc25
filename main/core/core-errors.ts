import type { IpcErrorCode } from '../../shared/ipc/result.ts'

/** An error whose message is meant for the administrator, with the code the UI and CLI branch on. */
export class CoreError extends Error {
  readonly code: IpcErrorCode
  constructor(code: IpcErrorCode, message: string) {
    super(message)
    this.name = 'CoreError'
    this.code = code
  }
}
