/** What an agent sees on an admin settings page they reached by URL. */
export function AdminsOnly({ what }: { what: string }) {
  return (
    <section className="rounded-2xl border border-zinc-200 bg-white p-8 text-center">
      <h1 className="text-lg font-semibold text-zinc-900">Admins only</h1>
      <p className="mt-2 text-sm text-zinc-600">Only admins can {what}.</p>
      <a href="/inbox" className="mt-4 inline-block text-sm font-medium text-emerald-800 underline underline-offset-2">
        Back to the inbox
      </a>
    </section>
  );
}
