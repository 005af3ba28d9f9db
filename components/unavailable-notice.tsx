/** What a person sees when a request could not be completed, typically while the database is restarting. */
export function UnavailableNotice({ onRetry }: { onRetry: () => void }) {
  return (
    <div role="alert" className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-2xl font-bold text-slate-900">Temporarily unavailable</h1>
      <p className="mt-3 text-slate-600">
        This request could not be completed. If the database is restarting, this fixes itself in a moment.
      </p>
      <button
        type="button"
        onClick={onRetry}
        className="mt-6 rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
      >
        Try again
      </button>
    </div>
  );
}
