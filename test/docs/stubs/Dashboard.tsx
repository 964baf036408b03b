/** Stands for "your app" in the docs' examples that import './Dashboard'. */
export function Dashboard() {
  return <main>dashboard</main>
}
