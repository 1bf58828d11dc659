import { clear, flash, formatDate, formatMoney, h, text } from "../dom";
import { tenantSubtitle, type View } from "../context";
import type { Activity, ErrorPush, Stats } from "../model";

const CARDS: { key: keyof Stats; label: string; money?: boolean }[] = [
  { key: "patients", label: "Patients" },
  { key: "claims", label: "Claims" },
  { key: "pendingClaims", label: "Pending claims" },
  { key: "approvedClaims", label: "Approved claims" },
  { key: "deniedClaims", label: "Denied claims" },
  { key: "paidClaims", label: "Paid claims" },
  { key: "totalBilled", label: "Total billed", money: true },
  { key: "totalPaid", label: "Total paid", money: true },
];

const MAX_ACTIVITY = 50;

export const dashboardView: View = (app, main) => {
  const cards = h("div", { class: "stats", "aria-live": "polite", "aria-busy": "true" }, h("p", { class: "muted" }, "Loading statistics…"));
  const updated = h("p", { class: "muted small", id: "stats-updated" });
  const feed = h("ol", { class: "activity", id: "activity-feed", "aria-live": "polite", "aria-relevant": "additions" });
  const feedEmpty = h("p", { class: "muted", id: "activity-empty" }, "Loading recent activity…");
  const problem = h("p", { class: "notice notice-warn", role: "alert", hidden: true });

  main.append(h("section", { class: "page" },
    h("div", { class: "page-head" },
      h("h1", { id: "dashboard-title", tabindex: "-1" }, "Dashboard"),
      tenantSubtitle(app)),
    problem,
    h("section", { "aria-labelledby": "stats-title" }, h("h2", { id: "stats-title", class: "visually-hidden" }, "Statistics"), cards, updated),
    h("section", { class: "card", "aria-labelledby": "activity-title" },
      h("h2", { id: "activity-title" }, "Recent activity"), feedEmpty, feed)));

  const cardEls = new Map<string, HTMLElement>();
  const renderStats = (stats: Stats, live: boolean): void => {
    if (cardEls.size === 0) {
      clear(cards);
      cards.removeAttribute("aria-busy");
      for (const c of CARDS) {
        const value = h("p", { class: "stat-value" });
        const card = h("div", { class: "stat-card", "data-stat": String(c.key) }, h("p", { class: "stat-label" }, c.label), value);
        cardEls.set(String(c.key), card);
        cards.append(card);
      }
    }
    for (const c of CARDS) {
      const card = cardEls.get(String(c.key))!;
      const value = card.querySelector(".stat-value")!;
      const next = stats[c.key] === undefined ? "—" : c.money ? formatMoney(stats[c.key]) : text(stats[c.key]);
      if (value.textContent !== next) {
        value.textContent = next;
        if (live) flash(card);
      }
    }
    problem.hidden = true;
    updated.textContent = stats.updatedAt ? `Updated ${formatDate(stats.updatedAt)}` : "";
  };

  const activityItem = (a: Activity): HTMLElement =>
    h("li", { class: `activity-item type-${(a.type ?? "info").replace(/[^a-z_-]/gi, "")}`, "data-activity-id": a.id ?? "" },
      h("span", { class: "activity-message" }, text(a.message)),
      h("time", { class: "muted small", datetime: a.timestamp ?? "" }, formatDate(a.timestamp)));

  const renderActivity = (items: Activity[]): void => {
    clear(feed);
    for (const a of items.slice(0, MAX_ACTIVITY)) feed.append(activityItem(a));
    feedEmpty.textContent = items.length === 0 ? "No recent activity." : "";
    feedEmpty.hidden = items.length > 0;
  };

  const off = [
    app.portal.on("dashboard:stats", (s) => { renderStats(s as Stats, false); }),
    app.portal.on("dashboard:stats:update", (s) => { renderStats(s as Stats, true); }),
    app.portal.on("dashboard:activity", (list) => { renderActivity(Array.isArray(list) ? (list as Activity[]) : []); }),
    app.portal.on("dashboard:activity:new", (a) => {
      const item = activityItem(a as Activity);
      feed.prepend(item);
      feedEmpty.hidden = true;
      flash(item);
      while (feed.children.length > MAX_ACTIVITY) feed.lastElementChild!.remove();
    }),
    app.portal.on("error", (e) => {
      const err = e as ErrorPush;
      if (err.method === "dashboard:subscribe") {
        problem.textContent = err.code === "service_unavailable"
          ? "The dashboard service is unavailable right now; the figures appear as soon as it is back."
          : "Live dashboard updates are not available right now.";
        problem.hidden = false;
      }
    }),
  ];
  app.portal.send("dashboard:subscribe");

  return () => {
    for (const f of off) f();
    if (app.portal.isConnected) app.portal.call("dashboard:unsubscribe").catch(() => undefined);
  };
};
