// A tiny element builder. Text always goes in as text nodes, never as HTML, so data from the
// services cannot inject markup (and the CSP forbids inline scripts anyway).

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** Briefly marks an element as just changed (the CSS animates `.flash`). */
export function flash(el: Element): void {
  el.classList.remove("flash");
  // Force a reflow so the animation restarts when the same element changes twice.
  void (el as HTMLElement).offsetWidth;
  el.classList.add("flash");
}

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function formatMoney(value: unknown): string {
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? money.format(n) : "—";
}

export function formatDate(value: unknown): string {
  if (typeof value !== "string" || value === "") return "—";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  // Dates without a time (YYYY-MM-DD) are calendar dates: show them as they are written, no time zone shift.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, day] = value.split("-").map(Number);
    return new Date(y!, m! - 1, day!).toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric" });
  }
  return d.toLocaleString("en-US", { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

export function text(value: unknown): string {
  return value === null || value === undefined || value === "" ? "—" : String(value);
}
