import { afterEach, describe, expect, it } from 'vitest'
import { AliasCount, GroupAliases } from '../../../../../renderer/features/directory/group-aliases.tsx'
import { createAppStore } from '../../../../../renderer/store/app-store.ts'
import { createFakeApi } from '../../fake-api.ts'
import { render, type Rendered } from '../../render.tsx'

let rendered: Rendered | null = null
afterEach(() => {
  rendered?.unmount()
  rendered = null
})

describe('a group’s aliases in the console', () => {
  it('shows "+2 aliases" beside the address with the aliases on hover, and lists them in the group pane', async () => {
    const aliases = ['orders@example.org', 'sales-team@example.org']
    rendered = await render(createAppStore(createFakeApi().api), (
      <>
        <AliasCount aliases={aliases} />
        <GroupAliases aliases={aliases} />
      </>
    ))
    const count = rendered.container.querySelector('span.muted')
    expect(count?.textContent).toBe(' +2 aliases')
    expect(count?.getAttribute('title')).toBe('orders@example.org, sales-team@example.org')
    expect([...rendered.container.querySelectorAll('section[aria-label="Aliases"] li')].map((li) => li.textContent)).toEqual(aliases)
  })

  it('shows nothing for a group without aliases', async () => {
    rendered = await render(createAppStore(createFakeApi().api), (
      <>
        <AliasCount aliases={[]} />
        <GroupAliases aliases={[]} />
      </>
    ))
    expect(rendered.container.textContent).toBe('')
  })
})
