import { act, type ReactNode } from 'react'
import { createRoot, type Root } from 'react-dom/client'
import { StoreProvider, type AppStore } from '../../../renderer/store/app-store.ts'

// Tell React this is a test environment, so act() flushes effects and updates.
;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

export interface Rendered {
  readonly container: HTMLElement
  unmount(): void
}

export async function render(store: AppStore, element: ReactNode): Promise<Rendered> {
  const container = document.createElement('div')
  document.body.append(container)
  let root: Root | null = null
  // eslint-disable-next-line @typescript-eslint/require-await -- the async act() flushes effects and microtasks
  await act(async () => {
    root = createRoot(container)
    root.render(<StoreProvider store={store}>{element}</StoreProvider>)
  })
  return {
    container,
    unmount() {
      act(() => root?.unmount())
      container.remove()
    },
  }
}

/** Let pending promises (fake api answers) and the renders they cause settle. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0))
    })
  }
}

export function byText(root: ParentNode, selector: string, text: string | RegExp): HTMLElement {
  const found = [...root.querySelectorAll<HTMLElement>(selector)].find((element) => (typeof text === 'string' ? element.textContent?.trim() === text : text.test(element.textContent ?? '')))
  if (!found) throw new Error(`no ${selector} with text ${String(text)}`)
  return found
}

export async function click(element: HTMLElement): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/require-await -- the async act() flushes the click's updates
  await act(async () => {
    element.click()
  })
  await settle()
}

/** Type into a controlled input the way React listens for it (the native value setter + input event). */
export async function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): Promise<void> {
  const prototype = Object.getPrototypeOf(input) as { value: string }
  // eslint-disable-next-line @typescript-eslint/require-await -- the async act() flushes React's update
  await act(async () => {
    Reflect.set(prototype, 'value', value, input)
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
  await settle()
}

export function labelled(root: ParentNode, label: string | RegExp): HTMLInputElement {
  const element = [...root.querySelectorAll('label')].find((item) => (typeof label === 'string' ? item.textContent?.trim() === label : label.test(item.textContent ?? '')))
  const id = element?.getAttribute('for')
  const input = id ? root.querySelector<HTMLInputElement>(`[id="${id}"]`) : null
  if (!input) throw new Error(`no field labelled ${String(label)}`)
  return input
}
