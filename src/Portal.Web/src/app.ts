// The HTPI customer portal in the browser: a single page with hash routes that talks only to the
// portal's SignalR hub. The token and the chosen tenant live in sessionStorage, so a reload or a
// reconnect resumes the session (`auth:resume`) and re-selects the tenant by itself. A form's unsent
// input (patient data) lives only in memory.
import "./app.css";
import { clear, h } from "./dom";
import type { AppContext, View } from "./context";
import { messageFor } from "./context";
import type { Tenant, User } from "./model";
import type { PatientDraft } from "./new-patient";
import { Portal, PortalError, type LinkState } from "./portal";
import { chosenProtocol } from "./protocol";
import { stored } from "./session";
import { loginView } from "./views/login";
import { tenantsView } from "./views/tenants";
import { dashboardView } from "./views/dashboard";
import { patientsView } from "./views/patients";
import { patientView } from "./views/patient";

interface Route { view: View; title: string; needs: "nothing" | "user" | "tenant"; nav?: "dashboard" | "patients" }

const ROUTES: { pattern: RegExp; route: Route }[] = [
  { pattern: /^#\/login$/, route: { view: loginView, title: "Sign in", needs: "nothing" } },
  { pattern: /^#\/tenants$/, route: { view: tenantsView, title: "Choose an organization", needs: "user" } },
  { pattern: /^#\/dashboard$/, route: { view: dashboardView, title: "Dashboard", needs: "tenant", nav: "dashboard" } },
  { pattern: /^#\/patients$/, route: { view: patientsView, title: "Patients", needs: "tenant", nav: "patients" } },
  { pattern: /^#\/patients\/([A-Za-z0-9_-]{1,64})$/, route: { view: patientView, title: "Patient", needs: "tenant", nav: "patients" } },
];

const STATE_TEXT: Record<LinkState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  degraded: "Degraded: live updates paused",
  disconnected: "Offline",
};

class App implements AppContext {
  readonly portal = new Portal(chosenProtocol());
  user: User | null = null;
  tenants: Tenant[] = [];
  tenantId: string | null = null;
  demo = false;
  patientDraft: PatientDraft | null = null;

  private readonly header = document.getElementById("app-header")!;
  private readonly main = document.getElementById("main")!;
  private readonly live = document.getElementById("announcer")!;
  private readonly notice = document.getElementById("global-notice")!;
  private cleanup: (() => void) | void = undefined;
  /** What the next sign-in page says first (that the user signed out); it says it once. */
  private signInNotice: string | null = null;
  /** The page asked for before sign-in or the organization choice sent the user elsewhere (in memory: this tab's load only). */
  private returnTo: string | null = null;
  private booted = false;
  private linkState: LinkState = "connecting";

  async boot(): Promise<void> {
    this.renderHeader();
    this.portal.onState((state) => { this.linkState = state; this.renderLinkState(); });
    this.portal.onPosition((feed, { seq, epoch }) => {
      stored.noteEpoch(epoch);
      stored.noteSeq(feed, seq);
    });
    this.portal.on("error", (e) => {
      // The portal logged this socket out (the session was taken over elsewhere or ended).
      const err = e as { code?: string; requestId?: string };
      if (err.code === "unauthenticated" && !err.requestId && this.user) this.endSession("Your session has ended. Please sign in again.");
    });
    this.portal.onReconnected(() => { void this.resumeAndRender(); });
    window.addEventListener("hashchange", () => { this.route(); });
    // The skip link must not change the hash: the hash is the route.
    document.querySelector(".skip-link")?.addEventListener("click", (e) => { e.preventDefault(); this.main.focus(); });

    this.demo = await fetch("/config.json", { cache: "no-store" })
      .then((r) => (r.ok ? (r.json() as Promise<{ demo?: boolean }>) : ({} as { demo?: boolean })))
      .then((c) => c.demo === true, () => false);

    this.main.append(h("p", { class: "muted page", role: "status" }, "Connecting to the portal…"));
    await this.connect();
    await this.resume();
    this.booted = true;
    this.route(true);
  }

  tenantName(id: string | null = this.tenantId): string {
    const remembered = id !== null && id === stored.tenantId ? stored.tenantName : null;
    return this.tenants.find((t) => t.id === id)?.name ?? remembered ?? id ?? "";
  }

  takeSignInNotice(): string | null {
    const notice = this.signInNotice;
    this.signInNotice = null;
    return notice;
  }

  landing(): string {
    const hash = this.returnTo ?? "#/dashboard";
    this.returnTo = null;
    return hash;
  }

  navigate(hash: string): void {
    if (location.hash === hash) this.route(true);
    else location.hash = hash;
  }

  announce(message: string): void {
    this.live.textContent = "";
    window.setTimeout(() => { this.live.textContent = message; }, 50);
  }

  async login(email: string, password: string): Promise<void> {
    const r = await this.portal.call<{ success: boolean; user?: User; token?: string; error?: string }>("auth:login", { email, password });
    if (!r.success || !r.user || !r.token) throw new PortalError("unauthenticated", r.error ?? "Sign-in failed.");
    stored.clear();
    this.patientDraft = null;
    stored.token = r.token;
    stored.userName = r.user.name ?? null;
    this.user = r.user;
    this.tenantId = null;
    this.tenants = [];
    this.showNotice(null);
    this.renderHeader();
    this.navigate(await this.openOnlyTenant() ? this.landing() : "#/tenants");
  }

  /** A user with one active organization is not asked to choose it: the page selects it; true when it did. */
  private async openOnlyTenant(): Promise<boolean> {
    const tenants = await this.loadTenants().catch(() => [] as Tenant[]);
    const only = tenants.length === 1 ? tenants[0]! : null;
    if (!only || (only.status ?? "active").toLowerCase() !== "active") return false;
    // A refusal leaves the choice to the tenant list, which says why when it is tried there.
    return this.selectTenant(only.id).then(() => true, () => false);
  }

  async loadTenants(): Promise<Tenant[]> {
    const r = await this.portal.call<{ tenants?: Tenant[]; error?: string }>("user:tenants:list");
    this.tenants = Array.isArray(r.tenants) ? r.tenants : [];
    const current = this.tenants.find((t) => t.id === this.tenantId);
    if (current) stored.tenantName = current.name;
    // A page rendered before the list came in (a reload) names its tenant now.
    for (const el of document.querySelectorAll("[data-tenant-name]")) el.textContent = this.tenantName();
    this.renderHeader();
    return this.tenants;
  }

  async selectTenant(tenantId: string): Promise<void> {
    const r = await this.portal.call<{ success: boolean; tenantId?: string; error?: string }>("user:tenant:select", { tenantId });
    if (!r.success) throw new PortalError("forbidden", r.error ?? "This organization cannot be opened.");
    if (this.tenantId !== tenantId) stored.clearSeq();
    // Compared with the draft's own tenant: a fresh resume selects the same tenant again after forgetting it.
    if (this.patientDraft?.tenantId !== tenantId) this.patientDraft = null;
    // The name is known from the list, or kept from before the reload that re-selects the same tenant.
    const name = this.tenants.find((t) => t.id === tenantId)?.name ?? (stored.tenantId === tenantId ? stored.tenantName : null);
    this.tenantId = tenantId;
    stored.tenantId = tenantId;
    stored.tenantName = name;
    this.renderHeader();
  }

  async logout(): Promise<void> {
    this.returnTo = null;
    if (this.portal.isConnected) await this.portal.call("auth:logout").catch(() => undefined);
    this.signInNotice = "You have signed out.";
    this.endSession(null);
  }

  private endSession(message: string | null): void {
    stored.clear();
    this.patientDraft = null;
    this.user = null;
    this.tenantId = null;
    this.tenants = [];
    this.renderHeader();
    this.showNotice(message);
    this.navigate("#/login");
  }

  private async connect(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.portal.start();
        return;
      } catch {
        this.showNotice("We cannot reach the portal right now. Retrying…");
        await new Promise((r) => window.setTimeout(r, Math.min(1000 * 2 ** attempt, 10000)));
      }
    }
  }

  /**
   * Restores the session on this socket from sessionStorage: the user, then the remembered tenant. After a
   * reconnect (`live`: the page still shows its data) it also sends the feeds it holds, the last seq of each
   * and their epoch, so that any node can replay what it missed instead of sending the lists again.
   */
  private async resume(live = false): Promise<"fresh" | "recovered" | "none"> {
    const token = stored.token;
    if (!token) return "none";
    const remembered = stored.tenantId;
    const feeds = live && remembered ? [...this.portal.feeds] : [];
    const seqs = stored.lastSeq;
    const lastSeq = Object.fromEntries(feeds.filter((f) => typeof seqs[f] === "number").map((f) => [f, seqs[f]]));
    const epoch = stored.epoch;
    if (!live) this.portal.forgetFeeds();
    try {
      // The tenant goes with the resume: a node that holds no session for the token verifies it and
      // restores it (PROTOCOL.md §3), so the page need not select it again.
      const r = await this.portal.call<{ success: boolean; user?: User; tenantId?: string; recovered?: boolean; epoch?: string; error?: string }>(
        "auth:resume", {
          token,
          ...(remembered ? { tenantId: remembered } : {}),
          ...(feeds.length > 0 ? { subscriptions: feeds } : {}),
          ...(feeds.length > 0 && epoch ? { lastSeq, epoch } : {}),
        });
      if (typeof r.epoch === "string") stored.noteEpoch(r.epoch);
      if (!r.success || !r.user) {
        this.endSession("Your session has ended. Please sign in again.");
        return "none";
      }
      this.user = { ...r.user, name: r.user.name || stored.userName || undefined };
      this.showNotice(null);
      if (remembered && r.tenantId === remembered && r.recovered === true) {
        this.tenantId = remembered;
        void this.loadTenants().catch(() => undefined);
        return "recovered";
      }
      this.tenantId = null;
      if (remembered && r.tenantId === remembered) {
        // Restored by the resume itself: the page renders it anew (and subscribes) without another select.
        this.tenantId = remembered;
      } else if (remembered) {
        try {
          await this.selectTenant(remembered);
        } catch {
          stored.tenantId = null;
          stored.tenantName = null;
        }
      }
      void this.loadTenants().catch(() => undefined);
      return "fresh";
    } catch (e) {
      if (e instanceof PortalError && e.code === "unauthenticated") {
        this.endSession("Your session has ended. Please sign in again.");
      } else {
        this.showNotice(messageFor(e, "restore your session"));
      }
      return "none";
    } finally {
      this.renderHeader();
    }
  }

  private async resumeAndRender(): Promise<void> {
    if (!stored.token) return;
    const outcome = await this.resume(true);
    // Not replayed: render the page again so it subscribes and reloads.
    if (outcome !== "recovered") this.route(true);
  }

  private current: string | null = null;

  private route(force = false): void {
    if (!this.booted) return;
    const hash = location.hash || "#/";
    const found = ROUTES.map((r) => ({ r: r.route, m: r.pattern.exec(hash) })).find((x) => x.m);
    const fallback = !this.user ? "#/login" : !this.tenantId ? "#/tenants" : "#/dashboard";
    if (!found) return this.redirect(fallback);
    const { r: route, m } = found;
    if (route.needs === "user" && !this.user) return this.redirect("#/login");
    // A page of a tenant asked for too early is where sign-in and the organization choice lead back to.
    if (route.needs === "tenant" && (!this.user || !this.tenantId)) this.returnTo = hash;
    if (route.needs === "tenant" && !this.user) return this.redirect("#/login");
    if (route.needs === "tenant" && !this.tenantId) return this.redirect("#/tenants");
    if (route.needs === "nothing" && this.user) return this.redirect(fallback);
    if (!force && hash === this.current) return;
    // A draft outlives its page being rendered again, not the page being left.
    const rerender = hash === this.current;
    if (!rerender) this.patientDraft = null;
    this.current = hash;

    // The same page rendered again (a fresh resume) gives the focus back to the form field that had it.
    const focused = rerender && document.activeElement instanceof HTMLElement && document.activeElement.closest("#main form")
      ? document.activeElement.id : "";
    if (this.cleanup) this.cleanup();
    this.cleanup = undefined;
    clear(this.main);
    document.title = `${route.title} · HTPI customer portal`;
    this.renderHeader(route.nav);
    this.cleanup = route.view(this, this.main, m!.slice(1));
    if (focused) document.getElementById(focused)?.focus();
    if (!this.main.contains(document.activeElement)) this.main.querySelector<HTMLElement>("h1")?.focus();
  }

  private redirect(hash: string): void {
    history.replaceState(null, "", hash);
    this.route(true);
  }

  private showNotice(message: string | null): void {
    this.notice.textContent = message ?? "";
    this.notice.hidden = !message;
  }

  private navKey: string | undefined;

  private renderHeader(nav: string | undefined = this.navKey): void {
    this.navKey = nav;
    clear(this.header);
    const brand = h("a", { class: "brand", href: this.tenantId ? "#/dashboard" : "#/" },
      h("span", { class: "brand-mark", "aria-hidden": "true" }, "+"), h("span", {}, "HTPI"), h("span", { class: "brand-sub" }, "Customer portal"));
    const bar = h("div", { class: "header-bar" }, brand);

    if (this.user && this.tenantId) {
      const link = (key: string, href: string, label: string): HTMLElement =>
        h("a", { href, class: "nav-link", "aria-current": nav === key ? "page" : null }, label);
      bar.append(h("nav", { class: "main-nav", "aria-label": "Main" },
        link("dashboard", "#/dashboard", "Dashboard"), link("patients", "#/patients", "Patients")));
    }

    const tools = h("div", { class: "header-tools" });
    if (this.user && this.tenants.length > 1) {
      const select = h("select", { id: "tenant-switcher", "aria-label": "Organization" },
        this.tenantId ? null : h("option", { value: "", selected: true, disabled: true }, "Choose…"),
        ...this.tenants.map((t) => h("option", { value: t.id, selected: t.id === this.tenantId }, t.name)));
      // Choosing is a deliberate act (WCAG 3.2.2): a change of the value only offers "Switch"; Enter or the button switches.
      const go = h("button", { type: "button", class: "btn btn-quiet", id: "tenant-switch-go", "aria-label": "Switch organization", hidden: true }, "Switch");
      const offer = (): void => { go.hidden = !select.value || select.value === this.tenantId; };
      const choose = (): void => {
        const id = select.value;
        if (!id || id === this.tenantId) return;
        select.disabled = true;
        go.disabled = true;
        this.selectTenant(id).then(() => {
          this.announce(`Switched to ${this.tenantName(id)}`);
          this.returnTo = null;
          this.navigate("#/dashboard");
        }, (e: unknown) => {
          this.showNotice(messageFor(e, `switch to ${this.tenantName(id)}`));
          this.renderHeader();
        });
      };
      select.addEventListener("change", offer);
      select.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); choose(); } });
      go.addEventListener("click", choose);
      tools.append(h("div", { class: "tenant-switch" }, h("label", { for: "tenant-switcher", class: "visually-hidden" }, "Organization"), select, go));
    } else if (this.tenantId) {
      tools.append(h("span", { class: "tenant-name" }, this.tenantName()));
    }
    tools.append(h("span", { id: "connection-status", class: "conn", role: "status", "data-state": this.linkState },
      h("span", { class: "conn-dot", "aria-hidden": "true" }), h("span", { class: "conn-text" }, STATE_TEXT[this.linkState])));
    if (this.user) {
      const logout = h("button", { type: "button", class: "btn btn-quiet", id: "logout" }, "Sign out");
      logout.addEventListener("click", () => { logout.disabled = true; void this.logout(); });
      tools.append(h("span", { class: "user", id: "current-user", title: this.user.email }, this.user.name || this.user.email), logout);
    }
    bar.append(tools);
    this.header.append(bar);
  }

  private renderLinkState(): void {
    const el = document.getElementById("connection-status");
    if (!el) return;
    el.setAttribute("data-state", this.linkState);
    el.querySelector(".conn-text")!.textContent = STATE_TEXT[this.linkState];
  }
}

void new App().boot();
