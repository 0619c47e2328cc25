import type { TestProject } from 'vitest/node'
import { setupLdapServers } from '../servers/ldap-test-servers.ts'

/**
 * Starts each real server once for the whole integration suite. Each server module adds its own
 * start/stop here (see test/servers/); tests read the connection details from `inject()`.
 */
type Teardown = () => Promise<void>
const setups: Array<(project: TestProject) => Promise<Teardown>> = [setupLdapServers]

export default async function setup(project: TestProject): Promise<Teardown> {
  const teardowns: Teardown[] = []
  for (const start of setups) teardowns.push(await start(project))
  return async () => {
    for (const stop of teardowns.reverse()) await stop()
  }
}
