import type { ExchangeStore } from '@dttm/lgsp-client';
import type { DocumentRepository } from '../../storage/types.js';

/**
 * The LGSP outbox's or inbox's durable store on the server's database (table `document_exchange`,
 * one namespace each): a write resolves once the database has committed it, so nothing the outbox
 * accepted or the inbox handled is lost across restarts. `close()` leaves the database open (the
 * server's storage owns it).
 */
export function exchangeStore(repo: DocumentRepository, namespace: string): ExchangeStore {
  let closed = false;
  const open = () => {
    if (closed) throw new Error(`exchange store "${namespace}" is closed`);
  };
  return {
    async get(key) {
      open();
      return await repo.exchangeGet(namespace, key);
    },
    async set(key, value) {
      open();
      await repo.exchangeSet(namespace, key, value);
    },
    async delete(key) {
      open();
      await repo.exchangeDelete(namespace, key);
    },
    async entries(prefix) {
      open();
      return await repo.exchangeEntries(namespace, prefix);
    },
    close() {
      closed = true;
      return Promise.resolve();
    },
  };
}
