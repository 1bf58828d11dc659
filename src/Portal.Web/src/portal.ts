// The one SignalR connection of the page, speaking PROTOCOL.md: each call takes one object
// argument and carries a requestId; its answer is the `<method>:response` push with the same
// requestId, or an `error` push that names it.
import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import type { ConnectionStatus, ErrorPush } from "./model";
import { hubProtocol, type ProtocolName } from "./protocol";

export const HUB_PATH = "/hubs/portal";

/** Methods answered by a `…:response` push. */
const ANSWERED = [
  "auth:login", "auth:resume", "auth:logout", "user:tenants:list", "user:tenant:select",
  "dashboard:unsubscribe", "patients:unsubscribe", "patients:view", "patients:add",
  "claims:list", "claims:get", "claims:subscribe", "claims:unsubscribe", "insurance:list",
] as const;
export type AnsweredMethod = (typeof ANSWERED)[number];

/** Pushes a page can listen to (live ones carry `{seq, epoch}` as a second argument). */
const PUSHES = [
  "connected", "connection:status", "error", "dashboard:stats", "dashboard:activity",
  "dashboard:stats:update", "dashboard:activity:new", "patients:list", "patients:new",
  "patients:updated", "claims:updated",
] as const;
export type PushName = (typeof PUSHES)[number];
export type FeedName = "dashboard" | "patients" | "claims";
export const LIVE_FEEDS: Record<string, FeedName> = {
  "dashboard:stats:update": "dashboard", "dashboard:activity:new": "dashboard",
  "patients:new": "patients", "patients:updated": "patients", "claims:updated": "claims",
};

/**
 * What else carries a feed's `{seq, epoch}` as its second argument: a snapshot says the seq it is current
 * as of, so a feed with no live push yet can be replayed too (docs/PROTOCOL.md). The claims feed has no
 * snapshot: its `claims:subscribe:response` carries `seq` and `epoch` in its body.
 */
const POSITIONED: Record<string, FeedName> = {
  ...LIVE_FEEDS,
  "dashboard:stats": "dashboard", "dashboard:activity": "dashboard", "patients:list": "patients",
};

/** A feed's place in the replay history, as the second argument of its pushes gives it. */
export interface FeedPosition { seq: number; epoch: string }

/**
 * A refusal by the portal (`error` push), with its code (`unauthenticated`, `service_unavailable`, …), or a
 * call that got no answer (`disconnected`, `timeout`). `unsent` is true only when the call never left the
 * page; otherwise a `disconnected` or `timeout` call may well have been done by the service.
 */
export class PortalError extends Error {
  constructor(readonly code: string, message: string, readonly method?: string, readonly unsent = false) {
    super(message);
    this.name = "PortalError";
  }
}

/** What the header shows: SignalR's state combined with the portal's NATS link state. */
export type LinkState = "connecting" | "connected" | "reconnecting" | "degraded" | "disconnected";

type Listener = (first: unknown, second: unknown) => void;
interface Pending { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: number }

const CALL_TIMEOUT_MS = 15_000;

export class Portal {
  private readonly connection: HubConnection;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly pending = new Map<string, Pending>();
  private readonly stateListeners = new Set<(state: LinkState) => void>();
  private readonly reconnectListeners = new Set<() => void>();
  private natsDegraded = false;
  // Set when this page leaves a draining node by itself: the socket it closes is reopened at once, elsewhere.
  private leavingDrainingNode = false;
  private nextId = 1;
  private _state: LinkState = "connecting";

  constructor(readonly protocol: ProtocolName = "json") {
    const builder = new HubConnectionBuilder()
      .withUrl(HUB_PATH)
      .withAutomaticReconnect([0, 1000, 2000, 5000, 10000, 10000, 30000])
      .configureLogging(LogLevel.Warning);
    const chosen = hubProtocol(protocol);
    this.connection = (chosen ? builder.withHubProtocol(chosen) : builder).build();

    for (const method of ANSWERED) {
      // A SignalR handler must not return a value: braces, no expression body.
      this.connection.on(`${method}:response`, (body: { requestId?: string }) => {
        if (method === "claims:subscribe") this.notePosition("claims:updated", body);
        this.settle(body);
      });
    }
    for (const name of PUSHES) {
      this.connection.on(name, (first: unknown, second: unknown) => {
        this.notePosition(name, second);
        this.dispatch(name, first, second);
      });
    }
    this.on("error", (e) => { this.onError(e as ErrorPush); });
    this.on("connection:status", (s) => {
      const status = s as ConnectionStatus;
      this.natsDegraded = status.nats === "degraded";
      this.updateState();
      if (status.draining === true) this.leaveDrainingNode();
    });
    this.connection.onreconnecting(() => { this.failPending("The connection was lost."); this.updateState(); });
    this.connection.onreconnected(() => {
      this.updateState();
      for (const listener of this.reconnectListeners) listener();
    });
    this.connection.onclose(() => {
      this.failPending("The connection was closed.");
      this.updateState();
      // Left a draining node: reconnect at once (the load balancer sends the new socket to another node).
      // Otherwise automatic reconnect gave up: keep trying, slowly, so the page heals when the portal is back.
      const first = this.leavingDrainingNode ? 0 : 5000;
      this.leavingDrainingNode = false;
      this.restartAfter(first, 0);
    });
  }

  /** Starts the connection again after `delay` ms, and again with backoff for as long as it fails. */
  private restartAfter(delay: number, attempt: number): void {
    window.setTimeout(() => {
      this.start().then(
        () => { for (const l of this.reconnectListeners) l(); },
        () => { this.restartAfter(Math.min(1000 * 2 ** attempt, 10000), attempt + 1); });
    }, delay);
  }

  /** The node is shutting down: leave it now instead of waiting for it to close the socket at the end of its drain. */
  private leaveDrainingNode(): void {
    if (this.leavingDrainingNode) return;
    this.leavingDrainingNode = true;
    void this.connection.stop().catch(() => undefined);
  }

  get state(): LinkState { return this._state; }

  get isConnected(): boolean { return this.connection.state === HubConnectionState.Connected; }

  async start(): Promise<void> {
    this.updateState();
    try {
      await this.connection.start();
    } finally {
      this.updateState();
    }
  }

  /** Calls `method` and resolves with its `…:response` body; rejects with a {@link PortalError} when refused. */
  call<T = Record<string, unknown>>(method: AnsweredMethod, args: Record<string, unknown> = {}): Promise<T> {
    this.noteFeed(method);
    const requestId = `r${this.nextId++}`;
    return new Promise<T>((resolve, reject) => {
      const timer = window.setTimeout(() => {
        this.pending.delete(requestId);
        reject(new PortalError("timeout", "The portal did not answer in time."));
      }, CALL_TIMEOUT_MS);
      this.pending.set(requestId, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.connection.send(method, { ...args, requestId }).catch((e: unknown) => {
        this.take(requestId)?.reject(new PortalError("disconnected", e instanceof Error ? e.message : "Not connected.", method, true));
      });
    });
  }

  /** Sends a call whose answer comes as pushes (e.g. `dashboard:subscribe` → `dashboard:stats`). */
  send(method: "dashboard:subscribe" | "patients:subscribe", args: Record<string, unknown> = {}): void {
    this.noteFeed(method);
    this.connection.send(method, args).catch(() => undefined);
  }

  private readonly positionListeners = new Set<(feed: FeedName, position: FeedPosition) => void>();

  /** Listens to every feed position a push gives (before the push's own listeners run). */
  onPosition(listener: (feed: FeedName, position: FeedPosition) => void): void { this.positionListeners.add(listener); }

  private notePosition(event: string, second: unknown): void {
    const feed = POSITIONED[event];
    const meta = second as Partial<FeedPosition> | undefined;
    if (!feed || typeof meta?.seq !== "number" || typeof meta.epoch !== "string") return;
    for (const listener of this.positionListeners) listener(feed, { seq: meta.seq, epoch: meta.epoch });
  }

  /** The feeds the page holds (subscribed, not unsubscribed since): a resume after a reconnect lists them. */
  readonly feeds = new Set<FeedName>();

  /** Login, logout and a fresh session hold no feeds. */
  forgetFeeds(): void { this.feeds.clear(); }

  private noteFeed(method: string): void {
    const [feed, action] = method.split(":") as [FeedName, string];
    if (!(feed === "dashboard" || feed === "patients" || feed === "claims")) return;
    if (action === "subscribe") this.feeds.add(feed);
    else if (action === "unsubscribe") this.feeds.delete(feed);
  }

  /** Listens to a push; returns the function that stops listening. */
  on(name: PushName, listener: Listener): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    return () => { set.delete(listener); };
  }

  onState(listener: (state: LinkState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this._state);
    return () => { this.stateListeners.delete(listener); };
  }

  /** Called after SignalR reconnected on a new socket: the session must be resumed. */
  onReconnected(listener: () => void): void { this.reconnectListeners.add(listener); }

  private dispatch(name: string, first: unknown, second: unknown): void {
    for (const listener of this.listeners.get(name) ?? []) {
      try {
        listener(first, second);
      } catch (e) {
        console.error(`Handler for ${name} failed`, e);
      }
    }
  }

  private settle(body: { requestId?: string }): void {
    if (body?.requestId) this.take(body.requestId)?.resolve(body);
  }

  private onError(e: ErrorPush): void {
    if (e?.requestId) this.take(e.requestId)?.reject(new PortalError(e.code, e.message, e.method));
  }

  private take(requestId: string): Pending | undefined {
    const p = this.pending.get(requestId);
    if (p) {
      this.pending.delete(requestId);
      window.clearTimeout(p.timer);
    }
    return p;
  }

  private failPending(message: string): void {
    for (const id of [...this.pending.keys()]) this.take(id)?.reject(new PortalError("disconnected", message));
  }

  private updateState(): void {
    const s = this.connection.state;
    const next: LinkState =
      s === HubConnectionState.Connected ? (this.natsDegraded ? "degraded" : "connected")
      : s === HubConnectionState.Reconnecting ? "reconnecting"
      : s === HubConnectionState.Disconnected ? (this._state === "connecting" ? "connecting" : "disconnected")
      : "connecting";
    if (s !== HubConnectionState.Connected) this.natsDegraded = false;
    if (next === this._state) return;
    this._state = next;
    for (const listener of this.stateListeners) listener(next);
  }
}
