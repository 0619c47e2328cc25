/** A failure the CLI reports as one line and an exit code (2 = usage, 1 = anything else). */
export class CliError extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode = 1) {
    super(message)
    this.exitCode = exitCode
  }
}
