import type { Preview } from '@storybook/react-vite'
import { installStaticFallback } from './staticFallback.ts'

const preview: Preview = {
  // In a static build there is no SSE server: the demo streams then play in the page.
  loaders: [async () => void (await installStaticFallback())],
  parameters: {
    layout: 'padded',
    // The headline demo first, then from the everyday to the failures.
    options: {
      storySort: {
        order: [
          'Twenty widgets, one connection',
          'Live JSON ticker',
          'Flood: throttled rendering and history',
          'LLM token streaming (POST)',
          'Named events',
          'Close and reconnect',
          'Status badge: drop and recovery',
          'Server error and retry policy',
          'Bad JSON',
          'Auth headers',
        ],
      },
    },
  },
}

export default preview
