import { hostname } from "node:os";
import { SdflError } from "../core/errors.js";
import type { CampaignStore, LockHolder } from "../store/campaignStore.js";

/** True when process `pid` exists on this host. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Lock a campaign for this process while it runs; a second runner is told who holds it.
 * A lock left by a process that is gone (same host) is taken over with a note; a lock
 * held from another host can only be taken over with `force` (sdfl cannot see there).
 * @returns the release function (call it in a finally)
 */
export function lockCampaign(store: CampaignStore, id: number, o: { force: boolean; note: (line: string) => void }): () => void {
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  const stillHeld = (h: LockHolder): boolean => (h.host === me.host ? h.pid !== me.pid && alive(h.pid) : !o.force);
  const { held, stale } = store.acquireLock(id, me, stillHeld);
  if (held)
    throw new SdflError(
      `campaign ${id} in ${store.file} is being run by process ${held.pid} on ${held.host} since ${held.since}`,
      held.host === me.host
        ? `wait for it to finish, or stop it (kill ${held.pid}) and resume`
        : `wait for it to finish; if that runner is gone, pass --force to take the campaign over`,
    );
  if (stale) o.note(`note: campaign ${id} was locked by process ${stale.pid} on ${stale.host} since ${stale.since}, which is gone; taking it over`);
  return () => store.releaseLock(id, me);
}
