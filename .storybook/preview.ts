import type { Preview } from '@storybook/react-vite'
import { createElement, Fragment } from 'react'
import { EventSourceDevtools } from '../src/devtools'
import { installStaticFallback } from './staticFallback.ts'

const preview: Preview = {
  // Every demo has the devtools' button in its corner (a story with a panel of its own says `devtools: false`).
  decorators: [
    (Story, { parameters }) =>
      parameters.devtools === false
        ? createElement(Story)
        : createElement(Fragment, null, createElement(Story), createElement(EventSourceDevtools)),
  ],
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
