import { Stream } from './Stream'

// A server component: `?post=1` renders the POST stream (fetch transport), else the plain GET one.
export default async function Page({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>
}) {
  const { post } = await searchParams
  return <main>{post ? <Stream url="/api/sse" body={{ prompt: 'hi' }} /> : <Stream url="/api/sse" />}</main>
}
