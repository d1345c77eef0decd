/** Test views of the real in-memory Store. */
import type { CollectionName, Collections, Store } from '../../domain/ports.js';
import { createMemoryStore } from '../../storage/memory-store.js';
import type { OpenTransactions } from './mailer.js';

/** The real memory store, counting the transactions running (mails must go after the commit). */
export function trackedStore(inner: Store = createMemoryStore()): Store & OpenTransactions {
  let open = 0;
  return {
    get open() {
      return open;
    },
    transaction: (work, options) =>
      inner.transaction(async (tx) => {
        open++;
        try {
          return await work(tx);
        } finally {
          open--;
        }
      }, options),
    sync: () => inner.sync(),
    health: () => inner.health(),
    close: () => inner.close(),
  };
}

/** The committed records of a collection, in insertion order. */
export function records<N extends CollectionName>(store: Store, name: N): Promise<Collections[N][]> {
  return store.transaction((tx) => tx.collection(name).list());
}
