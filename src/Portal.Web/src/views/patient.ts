import { clear, flash, formatDate, formatMoney, h, text } from "../dom";
import { messageFor, type View } from "../context";
import { type Claim, type Insurance, type Patient, patientName } from "../model";

function statusBadge(status: string | undefined): HTMLElement {
  const s = (status ?? "unknown").toLowerCase().replace(/[^a-z_-]/g, "");
  return h("span", { class: `badge status-${s}` }, text(status));
}

export const patientView: View = (app, main, [patientId]) => {
  const id = patientId ?? "";
  const title = h("h1", { id: "patient-title", tabindex: "-1" }, "Patient");
  const details = h("dl", { class: "details", id: "patient-details" }, h("div", {}, h("dt", {}, "Loading…")));
  const insurance = h("div", { id: "insurance" }, h("p", { class: "muted" }, "Loading insurance…"));
  const claims = h("div", { id: "claims" }, h("p", { class: "muted" }, "Loading claims…"));
  const problem = h("p", { class: "notice notice-warn", role: "alert", hidden: true });

  main.append(h("section", { class: "page" },
    h("nav", { "aria-label": "Breadcrumb", class: "breadcrumb" }, h("a", { href: "#/patients" }, "← All patients")),
    title, problem,
    h("div", { class: "grid-2" },
      h("section", { class: "card", "aria-labelledby": "details-title" }, h("h2", { id: "details-title" }, "Details"), details),
      h("section", { class: "card", "aria-labelledby": "insurance-title" }, h("h2", { id: "insurance-title" }, "Insurance"), insurance)),
    h("section", { class: "card", "aria-labelledby": "claims-title" }, h("h2", { id: "claims-title" }, "Claims"), claims)));

  let alive = true;
  const fail = (e: unknown, what: string): void => {
    if (!alive) return;
    problem.textContent = messageFor(e, what);
    problem.hidden = false;
  };

  app.portal.call<{ success: boolean; patient?: Patient; error?: string }>("patients:view", { patientId: id }).then((r) => {
    if (!alive) return;
    clear(details);
    if (!r.success || !r.patient) {
      title.textContent = "Patient not found";
      details.append(h("div", {}, h("dt", {}, "—"), h("dd", {}, text(r.error ?? "This patient does not exist in this organization."))));
      return;
    }
    const p = r.patient;
    title.textContent = patientName(p);
    document.title = `${patientName(p)} · HTPI customer portal`;
    const rows: [string, string][] = [
      ["MRN", text(p.mrn)], ["Date of birth", formatDate(p.dateOfBirth)], ["Gender", text(p.gender)],
      ["Email", text(p.email)], ["Phone", text(p.phone)], ["Last visit", formatDate(p.lastVisit)], ["Status", text(p.status)],
    ];
    for (const [k, v] of rows) details.append(h("div", {}, h("dt", {}, k), h("dd", {}, v)));
  }, (e: unknown) => { fail(e, "load this patient"); });

  app.portal.call<{ insurance?: Insurance[] }>("insurance:list", { patientId: id }).then((r) => {
    if (!alive) return;
    clear(insurance);
    const list = r.insurance ?? [];
    if (list.length === 0) { insurance.append(h("p", { class: "muted" }, "No insurance on file.")); return; }
    for (const i of list) {
      insurance.append(h("article", { class: "policy", "data-insurance-id": i.id },
        h("h3", {}, text(i.provider), " ", statusBadge(i.status)),
        h("dl", { class: "details compact" },
          h("div", {}, h("dt", {}, "Type"), h("dd", {}, text(i.type))),
          h("div", {}, h("dt", {}, "Policy number"), h("dd", {}, text(i.policyNumber))),
          h("div", {}, h("dt", {}, "Group number"), h("dd", {}, text(i.groupNumber))))));
    }
  }, (e: unknown) => {
    if (alive) { clear(insurance); insurance.append(h("p", { class: "muted" }, messageFor(e, "load the insurance"))); }
  });

  const claimRows = new Map<string, HTMLTableRowElement>();
  const claimRow = (c: Claim): HTMLTableRowElement =>
    h("tr", { "data-claim-id": c.id },
      h("th", { scope: "row" }, text(c.id)),
      h("td", {}, formatDate(c.serviceDate)),
      h("td", {}, text(c.description)),
      h("td", {}, text(c.provider)),
      h("td", { class: "num" }, formatMoney(c.amount)),
      h("td", { class: "claim-status" }, statusBadge(c.status)));

  app.portal.call<{ claims?: Claim[] }>("claims:list", { patientId: id }).then((r) => {
    if (!alive) return;
    clear(claims);
    const list = r.claims ?? [];
    if (list.length === 0) { claims.append(h("p", { class: "muted" }, "No claims for this patient.")); return; }
    const body = h("tbody");
    for (const c of list) {
      const row = claimRow(c);
      claimRows.set(c.id, row);
      body.append(row);
    }
    claims.append(h("div", { class: "table-wrap" }, h("table", { class: "table", "aria-labelledby": "claims-title" },
      h("thead", {}, h("tr", {}, ...["Claim", "Service date", "Description", "Provider", "Amount", "Status"].map((l) =>
        h("th", { scope: "col", class: l === "Amount" ? "num" : null }, l)))),
      body)));
  }, (e: unknown) => {
    if (alive) { clear(claims); claims.append(h("p", { class: "muted" }, messageFor(e, "load the claims"))); }
  });

  const off = app.portal.on("claims:updated", (c) => {
    const claim = c as Claim;
    if (!claim?.id || claim.patientId !== id) return;
    const old = claimRows.get(claim.id);
    if (!old) return;
    const row = claimRow(claim);
    old.replaceWith(row);
    claimRows.set(claim.id, row);
    flash(row);
    app.announce(`Claim ${claim.id} is now ${claim.status ?? "updated"}`);
  });
  app.portal.call("claims:subscribe").catch(() => undefined);

  return () => {
    alive = false;
    off();
    if (app.portal.isConnected) app.portal.call("claims:unsubscribe").catch(() => undefined);
  };
};
