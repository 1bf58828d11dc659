// What survives a reload or a page navigation: the token, the chosen tenant (id and name) and the hub protocol, per
// browser tab (sessionStorage, so closing the tab forgets them). The token is never put in the URL or logged.

const TOKEN = "htpi.token";
const TENANT = "htpi.tenant";
const TENANT_NAME = "htpi.tenantName";
const LAST_SEQ = "htpi.lastSeq";
const EPOCH = "htpi.epoch";
const USER_NAME = "htpi.userName";
const PROTOCOL = "htpi.protocol";

function get(key: string): string | null {
  try { return sessionStorage.getItem(key); } catch { return null; }
}
function set(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key); else sessionStorage.setItem(key, value);
  } catch { /* storage disabled: the session lasts until reload */ }
}

export const stored = {
  get token(): string | null { return get(TOKEN); },
  set token(value: string | null) { set(TOKEN, value); },
  get tenantId(): string | null { return get(TENANT); },
  set tenantId(value: string | null) { set(TENANT, value); },
  /** The chosen tenant's display name, so a reload names it before the tenant list is back. */
  get tenantName(): string | null { return get(TENANT_NAME); },
  set tenantName(value: string | null) { set(TENANT_NAME, value); },
  /** The display name from the login answer: `auth:resume` restores the user by token, which may not carry it. */
  get userName(): string | null { return get(USER_NAME); },
  set userName(value: string | null) { set(USER_NAME, value); },
  /** The hub protocol this tab chose (`?protocol=` in the URL); kept across sign-outs, it is not the session's. */
  get protocol(): string | null { return get(PROTOCOL); },
  set protocol(value: string | null) { set(PROTOCOL, value); },
  get lastSeq(): Record<string, number> {
    try { return JSON.parse(get(LAST_SEQ) ?? "{}") as Record<string, number>; } catch { return {}; }
  },
  noteSeq(feed: string, seq: number): void {
    const all = this.lastSeq;
    all[feed] = seq;
    set(LAST_SEQ, JSON.stringify(all));
  },
  clearSeq(): void { set(LAST_SEQ, null); },
  /** The history the seqs belong to (PROTOCOL.md §1): a seq of another epoch means nothing, so a new epoch forgets them. */
  get epoch(): string | null { return get(EPOCH); },
  noteEpoch(epoch: string): void {
    if (get(EPOCH) === epoch) return;
    set(LAST_SEQ, null);
    set(EPOCH, epoch);
  },
  clear(): void { for (const key of [TOKEN, TENANT, TENANT_NAME, LAST_SEQ, EPOCH, USER_NAME]) set(key, null); },
};
