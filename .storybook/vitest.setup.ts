import { setProjectAnnotations } from '@storybook/react-vite'
import * as preview from './preview.ts'

setProjectAnnotations([preview])
