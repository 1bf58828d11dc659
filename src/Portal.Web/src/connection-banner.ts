// The banner under the header that says, in words, when what the page shows is not live: the browser is offline,
// the socket is being restored, or the portal cannot reach its services. It says since when nothing new came
// ("last update 12 s ago", counting on) and what still works. The header's indicator (role=status) announces
// the state; the banner is not a live region, so the counting time is never read out every second.
import { h } from "./dom";
import type { LinkState, Portal } from "./portal";
import { ago, everySecond } from "./time";

/** The state's words, for the header's indicator and the banner's first line. */
export const STATE_TEXT: Record<LinkState, string> = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting: live updates paused",
  degraded: "Degraded: live updates paused",
  disconnected: "Not connected: live updates paused",
  offline: "Offline: live updates paused",
};

const HELP: Partial<Record<LinkState, string>> = {
  offline: "Your device has no network connection. What you type is kept; saving resumes once you are back online.",
  reconnecting: "The connection to the portal was lost and is being restored. What you type is kept; saving resumes when it is back.",
  disconnected: "The portal cannot be reached right now; the page keeps trying. What you type is kept.",
  degraded: "The portal cannot reach its services right now, so what you see may be out of date.",
};

export class ConnectionBanner {
  readonly element: HTMLElement;
  private readonly head = h("span", { class: "conn-banner-head" });
  private readonly age = h("span", { class: "conn-banner-age", id: "connection-banner-age" });
  private readonly help = h("p", { class: "conn-banner-help" });
  private stopTicking: (() => void) | null = null;
  private state: LinkState = "connecting";
  private everConnected = false;

  constructor(private readonly portal: Portal) {
    this.element = h("div", { id: "connection-banner", class: "conn-banner", hidden: true },
      h("p", { class: "conn-banner-line" }, this.head, this.age), this.help);
  }

  show(state: LinkState): void {
    this.state = state;
    if (state === "connected" || state === "degraded") this.everConnected = true;
    // Before the first connection the page says "Connecting to the portal…" itself.
    const paused = this.everConnected && state !== "connected" && state !== "connecting";
    this.element.hidden = !paused;
    this.element.setAttribute("data-state", state);
    if (!paused) {
      this.stopTicking?.();
      this.stopTicking = null;
      return;
    }
    this.head.textContent = STATE_TEXT[state];
    this.help.textContent = HELP[state] ?? "";
    this.renderAge();
    this.stopTicking ??= everySecond(() => { this.renderAge(); });
  }

  private renderAge(): void {
    // Degraded: the socket still brings pings, but nothing live since the portal lost its services.
    const since = this.state === "degraded" ? this.portal.degradedSince ?? this.portal.lastHeardAt : this.portal.lastHeardAt;
    this.age.textContent = since === null ? "" : `, last update ${ago(since)}`;
  }
}
