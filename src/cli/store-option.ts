import { openStore, type Store } from '../store/store.js';

/** Opens the store for one command and always closes it (DuckDB holds a file lock while open). */
export async function withStore<T>(db: string | undefined, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
