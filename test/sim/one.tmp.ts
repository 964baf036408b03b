import { replay } from './replay'
const [setup, steps] = [process.argv[2] as string, process.argv[3] as string]
console.log(
  (await replay({ setup: JSON.parse(setup), steps }, (process.argv[4] ?? '').split(',') as never)) ||
    'kept every promise',
)
