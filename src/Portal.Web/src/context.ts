import { h } from "./dom";
import type { Portal } from "./portal";
import type { Tenant, User } from "./model";
import type { PatientDraft } from "./new-patient";

/** What every view may use; implemented by app.ts. */
export interface AppContext {
  readonly portal: Portal;
  readonly user: User | null;
  readonly tenants: readonly Tenant[];
  readonly tenantId: string | null;
  readonly demo: boolean;
  /**
   * The "Add patient" form's unsent input, so that rendering the page again (the fresh resume after a
   * reconnect does) keeps it. In memory only, never in storage: it is patient data. The app drops it when
   * the page is left, the tenant changes or the session ends.
   */
  patientDraft: PatientDraft | null;
  /** The selected tenant's display name. */
  tenantName(id?: string | null): string;
  /** What the sign-in page should say first ("You have signed out."), once; null when nothing. */
  takeSignInNotice(): string | null;
  /** Where to go once a tenant is chosen: the page asked for before sign-in (once), else the dashboard. */
  landing(): string;
  navigate(hash: string): void;
  login(email: string, password: string): Promise<void>;
  loadTenants(): Promise<Tenant[]>;
  selectTenant(tenantId: string): Promise<void>;
  /** Says something to screen readers (polite live region). */
  announce(message: string): void;
}

/** A view renders into `main` and returns what to undo when the page leaves it. */
export type View = (app: AppContext, main: HTMLElement, params: string[]) => (() => void) | void;

export function messageFor(error: unknown, action: string): string {
  const code = (error as { code?: string })?.code;
  switch (code) {
    case "unauthenticated": return "Your session has ended. Please sign in again.";
    case "forbidden": return "You do not have access to this.";
    case "service_unavailable": return `The service is unavailable right now, so we could not ${action}. Please try again in a moment.`;
    case "rate_limited": return "Too many requests. Please wait a moment and try again.";
    case "timeout": return `The portal did not answer in time, so we could not ${action}. Please try again.`;
    case "disconnected": return `The connection to the portal was lost, so we could not ${action}. It reconnects by itself.`;
    case "upstream_error": return `A service answered with something unexpected, so we could not ${action}.`;
    default: return (error as Error)?.message || `Something went wrong and we could not ${action}.`;
  }
}

/** The selected tenant's name under a page title; the app renames it when the tenant list comes in. */
export function tenantSubtitle(app: AppContext): HTMLElement {
  return h("p", { class: "muted", "data-tenant-name": "" }, app.tenantName());
}
