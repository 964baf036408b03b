import type { Preview } from '@storybook/react-vite'
import { installStaticFallback } from './staticFallback.ts'

const preview: Preview = {
  // In a static build there is no SSE server: the demo streams then play in the page.
  loaders: [async () => void (await installStaticFallback())],
  parameters: { layout: 'padded' },
}

export default preview
